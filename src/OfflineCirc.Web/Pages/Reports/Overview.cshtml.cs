using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OfflineCirc.Web.People;
using OfflineCirc.Web.Reports;

namespace OfflineCirc.Web.Pages.Reports;

/// <summary>How each library in the viewer's reach used offline circulation, and which never did.</summary>
[Authorize(Policy = PeopleSetup.ConsortiumWide)]
public class OverviewModel(ConsortiumOverview overview, UserScope scope, OfflineCirc.Web.Lookup.LibraryZones zones) : PageModel
{
    public OverviewReport Report { get; private set; } = new([], []);
    public string? Home { get; private set; }
    public OfflineCirc.Web.Lookup.LibraryZones Zones => zones;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var path = await scope.SubtreePathAsync(ct);
        Home = (await scope.HomeAsync(ct))?.Name;
        Report = path is null ? Report : await overview.BuildAsync(path, ct);
        await zones.LoadAsync(ct);
    }
}
