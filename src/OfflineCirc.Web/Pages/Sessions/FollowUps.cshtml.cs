using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OfflineCirc.Core.Model;
using OfflineCirc.Web.Lookup;
using OfflineCirc.Web.Reports;
using OfflineCirc.Web.Sessions;

namespace OfflineCirc.Web.Pages.Sessions;

/// <summary>The follow-up worklist of a session, one printable section per branch.</summary>
public class FollowUpsModel(SessionService sessions, FollowUpQueries followUps) : PageModel
{
    /// <summary>More than this is a download, not a page to print.</summary>
    public const int MaxRows = 10_000;

    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Branch { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    public OfflineSession? Session { get; private set; }
    public List<IGrouping<string, FollowUpRow>> Branches { get; private set; } = [];
    public bool Truncated { get; private set; }
    public NodaTime.DateTimeZone Zone { get; private set; } = NodaTime.DateTimeZone.Utc;

    public string CsvUrl
    {
        get
        {
            var query = new List<string>();
            if (!string.IsNullOrWhiteSpace(Branch))
            {
                query.Add("branch=" + Uri.EscapeDataString(Branch));
            }
            if (!string.IsNullOrWhiteSpace(Kind))
            {
                query.Add("kind=" + Uri.EscapeDataString(Kind));
            }
            return $"/api/sessions/{Id}/followups.csv" + (query.Count == 0 ? "" : "?" + string.Join('&', query));
        }
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Session = await sessions.FindAsync(Id, ct);
        if (Session is null)
        {
            return NotFound();
        }
        Zone = TimeDisplay.Zone(Session.OrgUnit!.TimeZone);
        var rows = new List<FollowUpRow>();
        await foreach (var row in followUps.ListAsync(Id, Branch, Kind, ct))
        {
            if (rows.Count == MaxRows)
            {
                Truncated = true;
                break;
            }
            rows.Add(row);
        }
        // Rows arrive in branch order; grouping keeps that order.
        Branches = rows.GroupBy(r => r.Branch ?? "").ToList();
        return Page();
    }
}
