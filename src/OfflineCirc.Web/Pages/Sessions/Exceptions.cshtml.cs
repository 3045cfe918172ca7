using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;
using OfflineCirc.Core.Replay;
using OfflineCirc.Web.Lookup;
using OfflineCirc.Web.People;
using OfflineCirc.Web.Reports;
using OfflineCirc.Web.Sessions;

namespace OfflineCirc.Web.Pages.Sessions;

/// <summary>Every current result of a session that is not Applied, filtered and keyset-paged by transaction id.</summary>
public class ExceptionsModel(
    SessionService sessions, ResultQueries results, ExceptionCommands commands, UserScope scope, CircDbContext db,
    LibraryZones zones, TransactionQueries transactions, SessionSummary summary) : PageModel
{
    public const int DefaultPageSize = 50;

    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Type { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Workstation { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Resolved { get; set; }

    /// <summary>Keyset: the last transaction id of the previous page.</summary>
    [BindProperty(SupportsGet = true)]
    public long After { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Size { get; set; }

    public OfflineSession? Session { get; private set; }
    public List<ResultRow> Rows { get; private set; } = [];
    public long? NextAfter { get; private set; }
    public List<string> Workstations { get; private set; } = [];
    public NodaTime.DateTimeZone Zone { get; private set; } = NodaTime.DateTimeZone.Utc;
    public bool CanChange => scope.CanAdminister && Session?.State != SessionState.Closed;
    public int PageSize => Math.Clamp(Size ?? DefaultPageSize, 1, 500);
    // Messages are only looked for when one was sent: reading an empty TempData makes the response clear its cookie,
    // and a response that sets a cookie cannot be served again from the cache.
    public string? Message => HasMessage ? TempData[SessionFlash.MessageKey] as string : null;
    public string? Error => HasMessage ? TempData[SessionFlash.ErrorKey] as string : null;
    private bool HasMessage => Request.Cookies.ContainsKey(SessionPageCachePolicy.TempDataCookie);

    /// <summary>The current filters as route values, for links, form actions and redirects.</summary>
    public Dictionary<string, string> Filters(long? after = null)
    {
        var values = new Dictionary<string, string> { ["id"] = Id.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        void Add(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                values[key] = value;
            }
        }
        Add("status", Status);
        Add("code", Code);
        Add("type", Type);
        Add("workstation", Workstation);
        Add("resolved", Resolved);
        Add("size", Size?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if ((after ?? After) is > 0 and var a)
        {
            values["after"] = a.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return values;
    }

    /// <summary>The current filters as a query string, without the session (it is in the path); Razor encodes it in attributes.</summary>
    public string Query(long? after = null) =>
        string.Join('&', Filters(after).Where(kv => kv.Key != "id").Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value)}"));

    public string PageUrl(long? after = null) => $"/Sessions/Exceptions/{Id}" + (Query(after) is { Length: > 0 } q ? "?" + q : "");

    public string CurrentUrl => PageUrl();

    public bool Filtered => Filters().Keys.Any(k => k is not ("id" or "size" or "after"));

    public Dictionary<long, IReadOnlyList<DeskOverride>> Overrides { get; private set; } = [];
    public Dictionary<long, PatronLink> Patrons { get; private set; } = [];
    public long Retryable { get; private set; }
    public bool MixedZones { get; private set; }

    /// <summary>The zone of the library a row was recorded at (the session's when unknown).</summary>
    public NodaTime.DateTimeZone ZoneOf(ResultRow row) => zones.Of(row.Org, Zone);

    /// <summary>The value a date input can show for a captured due date ("2026-3-5 9:00" is 2026-03-05); empty when none.</summary>
    public static string DateInput(string? captured) =>
        captured is not null && DateTime.TryParse(captured, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AllowWhiteSpaces, out var d) ? d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : "";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Session = await sessions.FindAsync(Id, ct);
        if (Session is null)
        {
            return NotFound();
        }
        Zone = TimeDisplay.Zone(Session.OrgUnit!.TimeZone);
        // From the files and the registry, both small: a distinct over the session's transactions would cost a full scan.
        var path = Session.OrgUnit.Path;
        var uploaded = await db.UploadedFiles.AsNoTracking().Where(f => f.SessionId == Id).Select(f => f.Workstation).Distinct().ToListAsync(ct);
        var registered = await db.Workstations.AsNoTracking().Where(w => w.OrgUnit!.Path.StartsWith(path)).Select(w => w.Name).ToListAsync(ct);
        Workstations = uploaded.Union(registered).Order(StringComparer.Ordinal).ToList();
        if (!ReportEndpoints.TryFilter(Status, Code, Type, Workstation, Resolved, out var filter, out var error))
        {
            ModelState.AddModelError("", error!);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Rows = await results.ExceptionPageAsync(Id, filter, After, PageSize + 1, ct);
        if (Rows.Count > PageSize)
        {
            Rows.RemoveAt(Rows.Count - 1);
            NextAfter = Rows[^1].TransactionId;
        }
        await zones.LoadAsync(ct);
        MixedZones = Rows.Select(r => ZoneOf(r).Id).Distinct().Count() > 1;
        Overrides = await transactions.OverridesAsync(Rows.Select(r => r.TransactionId), ct);
        Patrons = await transactions.PatronLinksAsync(Rows.Select(r => r.Message), ct);
        Retryable = CanChange ? await summary.RetryableAsync(Id, ct) : 0;
        return Page();
    }

    public async Task<IActionResult> OnPostEditAsync(long tx, string? patronBarcode, string? itemBarcode, string? dueDate, CancellationToken ct)
    {
        // The date input shows a captured "2026-3-5 9:00" as 2026-03-05: sent back unchanged, it is no correction.
        var captured = await db.Transactions.AsNoTracking().Where(t => t.Id == tx && t.SessionId == Id).Select(t => t.DueDate).SingleOrDefaultAsync(ct);
        if (captured is not null && dueDate == DateInput(captured))
        {
            dueDate = captured;
        }
        return await ChangeAsync(session => commands.EditAsync(session, tx, Blank(patronBarcode), Blank(itemBarcode), dueDate, ct),
            $"Transaction {tx} corrected. Retry the session to process it again.", ct);
    }

    public Task<IActionResult> OnPostForceAsync(long tx, CancellationToken ct) =>
        ChangeAsync(session => commands.ForceAsync(session, tx, ct), $"Transaction {tx} will be applied by the next retry.", ct);

    public Task<IActionResult> OnPostResolveAsync(long tx, string? note, CancellationToken ct) =>
        ChangeAsync(session => commands.ResolveAsync(session, tx, note, ct), $"Transaction {tx} marked resolved.", ct);

    private async Task<IActionResult> ChangeAsync(Func<OfflineSession, Task<ReplayCommandResult>> command, string done, CancellationToken ct)
    {
        if (!scope.CanAdminister)
        {
            return Forbid();
        }
        var session = await sessions.FindAsync(Id, ct);
        if (session is null)
        {
            return NotFound();
        }
        var result = await command(session);
        TempData[result.Ok ? SessionFlash.MessageKey : SessionFlash.ErrorKey] = result.Ok ? done : result.Error;
        return RedirectToPage("/Sessions/Exceptions", new RouteValueDictionary(Filters().ToDictionary(kv => kv.Key, kv => (object?)kv.Value)));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
