using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Data;
using OfflineCirc.Web.Lookup;
using OfflineCirc.Web.Reports;

namespace OfflineCirc.Web.Pages.Sessions;

/// <summary>One transaction: its line as received, where it came from, every run's result, its edits and audit entries.</summary>
public class TransactionModel(TransactionQueries transactions, LibraryZones zones, CircDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    public TransactionView? View { get; private set; }

    public NodaTime.DateTimeZone Zone { get; private set; } = NodaTime.DateTimeZone.Utc;

    public string ZoneName { get; private set; } = "UTC";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        View = await transactions.FindAsync(Id, ct);
        if (View is null)
        {
            return NotFound();
        }
        // Where the replay places it: the workstation's library, else the one it names, else the session's.
        await zones.LoadAsync(ct);
        var t = View.Transaction;
        var workstationOrg = await db.Workstations.AsNoTracking().Where(w => w.Name == t.Workstation).Select(w => (int?)w.OrgUnitId).SingleOrDefaultAsync(ct);
        var sessionZone = TimeDisplay.Zone(View.Session.OrgUnit!.TimeZone);
        Zone = zones.Of(workstationOrg, zones.Of(t.Org, sessionZone));
        ZoneName = Zone.Id;
        return Page();
    }

    public string When(DateTimeOffset? time) => TimeDisplay.Show(time, Zone);
}
