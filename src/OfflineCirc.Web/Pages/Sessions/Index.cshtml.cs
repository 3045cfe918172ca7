using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Model;
using OfflineCirc.Web.Infrastructure;
using OfflineCirc.Web.People;
using OfflineCirc.Web.Sessions;

namespace OfflineCirc.Web.Pages.Sessions;

public class IndexModel(SessionService sessions, UserScope scope, OfflineCirc.Web.Lookup.LibraryZones zones) : PageModel
{
    public class InputModel
    {
        public string Org { get; set; } = "";
        public string Description { get; set; } = "";
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? Org { get; set; }

    public List<SessionRow> Sessions { get; private set; } = [];
    public List<OrgUnit> Orgs { get; private set; } = [];
    public bool CanCreate => scope.CanAdminister;
    public OfflineCirc.Web.Lookup.LibraryZones Zones => zones;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!scope.CanAdminister)
        {
            return Forbid();
        }
        var command = new CreateSession(Input.Org, Input.Description);
        var check = await CreateSession.Rules.ValidateAsync(command, ct);
        foreach (var error in check.Errors)
        {
            ModelState.AddModelError("", error.ErrorMessage);
        }
        if (check.IsValid)
        {
            try
            {
                var session = await sessions.CreateAsync(command, ct);
                return RedirectToPage("/Sessions/Details", new { id = session.Id });
            }
            catch (RefusalException ex)
            {
                ModelState.AddRefusal(Response, ex);
            }
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Orgs = await (await scope.ReachableOrgsAsync(ct)).OrderBy(o => o.Path).ToListAsync(ct);
        Sessions = await sessions.ListAsync(Org, ct);
        await zones.LoadAsync(ct);
    }
}
