from django.shortcuts import redirect

from gerai.regions.selectors import region_get_by_host


class RegionHostMiddleware:
    """A region bound to its own host name (e.g. layanan.banyuwangikab.go.id) opens on its own home
    page instead of the platform's list of regions."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/":
            region = region_get_by_host(request.get_host())
            if region is not None:
                return redirect("catalog:region_home", region_slug=region.slug)
        return self.get_response(request)
