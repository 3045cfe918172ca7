using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OfflineCirc.Web.Lookup;
using OfflineCirc.Web.People;

namespace OfflineCirc.Web.Pages.Admin.Workstations;

[Authorize(Policy = PeopleSetup.AdministratorOrAbove)]
public class IndexModel(WorkstationRegistry registry, UserAdmin admin, UserScope scope, LibraryZones zones) : PageModel
{
    public class InputModel
    {
        public string Name { get; set; } = "";
        public string Org { get; set; } = "";
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public IReadOnlyList<WorkstationRow> Workstations { get; private set; } = [];

    public IReadOnlyList<OrgOption> Orgs { get; private set; } = [];

    public NodaTime.DateTimeZone Zone { get; private set; } = NodaTime.DateTimeZone.Utc;

    /// <summary>A workstation's times in its own library's zone.</summary>
    public NodaTime.DateTimeZone ZoneOf(WorkstationRow w) => zones.Of(w.Org, Zone);

    public int ReadyCount => Workstations.Count(w => w.Readiness == WorkstationReadiness.Ready);

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // WorkstationRegistry runs WorkstationRegistrationValidator, shared with the API.
        var outcome = await registry.RegisterAsync(new WorkstationRegistration(Input.Name, Input.Org), ct);
        if (outcome.Status != RegistrationStatus.Registered)
        {
            foreach (var (field, messages) in outcome.Errors)
            {
                foreach (var message in messages)
                {
                    ModelState.AddModelError($"{nameof(Input)}.{field}", message);
                }
            }
            await LoadAsync(ct);
            return Page();
        }
        Message = $"Workstation {outcome.Workstation!.Name} registered at {outcome.Workstation.Org}. Open the capture page on it and pick this name.";
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Workstations = await registry.ListAsync(ct);
        Orgs = await admin.OrgOptionsAsync(ct);
        Zone = TimeDisplay.Zone((await scope.HomeAsync(ct))?.TimeZone);
        await zones.LoadAsync(ct);
    }
}
