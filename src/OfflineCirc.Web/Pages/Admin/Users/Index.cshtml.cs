using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OfflineCirc.Web.People;

namespace OfflineCirc.Web.Pages.Admin.Users;

[Authorize(Policy = PeopleSetup.AdministratorOrAbove)]
public class IndexModel(UserAdmin admin, OfflineCirc.Web.Lookup.LibraryZones zones) : PageModel
{
    public IReadOnlyList<UserRow> Users { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public OfflineCirc.Web.Lookup.LibraryZones Zones => zones;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Users = await admin.ListAsync(ct);
        await zones.LoadAsync(ct);
    }
}
