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
/// <remarks>
/// Reading a page is three statements at most: the session's header (which the page cache's policy has already read for
/// its key), the rows with their libraries' zones and desk overrides, and, only when a message names a patron, the
/// patrons' links. What only the buttons need is asked for by the handlers that use it.
/// </remarks>
public class ExceptionsModel(SessionHeaders headers, ResultQueries results, UserScope scope) : PageModel
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

    public SessionHeader? Session { get; private set; }
    public List<ExceptionLine> Rows { get; private set; } = [];
    public long? NextAfter { get; private set; }
    public IReadOnlyList<string> Workstations => Session?.Workstations ?? [];
    public NodaTime.DateTimeZone Zone { get; private set; } = NodaTime.DateTimeZone.Utc;
    /// <summary>Whether the row forms and the retry button show: an administrator, on a session not closed (asked once per page).</summary>
    public bool CanChange { get; private set; }

    /// <summary>The reasons the filter offers, by their words: the same for every page, so sorted once.</summary>
    public static IReadOnlyList<Wording> ReasonChoices { get; } =
        [.. ResultCodes.All.Select(Words.Code).OrderBy(w => w.Label, StringComparer.Ordinal)];
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

    public Dictionary<long, PatronLink> Patrons { get; private set; } = [];
    public long Retryable => CanChange ? Session!.Retryable : 0;
    public bool MixedZones { get; private set; }

    /// <summary>The zone of the library a row was recorded at (the session's when unknown).</summary>
    public NodaTime.DateTimeZone ZoneOf(ExceptionLine line) => line.PlaceTimeZone is { } zone ? TimeDisplay.Zone(zone) : Zone;

    /// <summary>The value a date input can show for a captured due date ("2026-3-5 9:00" is 2026-03-05); empty when none.</summary>
    public static string DateInput(string? captured) =>
        captured is not null && DateTime.TryParse(captured, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AllowWhiteSpaces, out var d) ? d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : "";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var valid = ReportEndpoints.TryFilter(Status, Code, Type, Workstation, Resolved, out var filter, out var error);
        // The header and the rows in one round trip (the page cache's policy reads only the session's version). A filter
        // that cannot be read gets the header alone, so a session outside the subtree is not found before anything else.
        if (valid)
        {
            (Session, Rows) = await results.HeaderAndExceptionLinesAsync(headers, Id, filter, After, PageSize + 1, ct);
        }
        else
        {
            Session = await headers.ReadAsync(Id, ct);
        }
        if (Session is null)
        {
            return NotFound();
        }
        CanChange = scope.CanAdminister && Session.State != SessionState.Closed;
        Zone = TimeDisplay.Zone(Session.OrgTimeZone);
        if (!valid)
        {
            ModelState.AddModelError("", error!);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (Rows.Count > PageSize)
        {
            Rows.RemoveAt(Rows.Count - 1);
            NextAfter = Rows[^1].Row.TransactionId;
        }
        MixedZones = Rows.Select(r => ZoneOf(r).Id).Distinct().Count() > 1;
        if (Rows.Any(r => r.Row.Message?.Contains(TransactionQueries.PatronMention, StringComparison.Ordinal) == true))
        {
            Patrons = await HttpContext.RequestServices.GetRequiredService<TransactionQueries>().PatronLinksAsync(Rows.Select(r => r.Row.Message), ct);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostEditAsync(long tx, string? patronBarcode, string? itemBarcode, string? dueDate,
        [FromServices] CircDbContext db, [FromServices] ExceptionCommands commands, [FromServices] SessionService sessions, CancellationToken ct)
    {
        // The date input shows a captured "2026-3-5 9:00" as 2026-03-05: sent back unchanged, it is no correction.
        var captured = await db.Transactions.AsNoTracking().Where(t => t.Id == tx && t.SessionId == Id).Select(t => t.DueDate).SingleOrDefaultAsync(ct);
        if (captured is not null && dueDate == DateInput(captured))
        {
            dueDate = captured;
        }
        return await ChangeAsync(sessions, session => commands.EditAsync(session, tx, Blank(patronBarcode), Blank(itemBarcode), dueDate, ct),
            $"Transaction {tx} corrected. Retry the session to process it again.", ct);
    }

    public Task<IActionResult> OnPostForceAsync(long tx, [FromServices] ExceptionCommands commands, [FromServices] SessionService sessions, CancellationToken ct) =>
        ChangeAsync(sessions, session => commands.ForceAsync(session, tx, ct), $"Transaction {tx} will be applied by the next retry.", ct);

    public Task<IActionResult> OnPostResolveAsync(long tx, string? note, [FromServices] ExceptionCommands commands, [FromServices] SessionService sessions,
        CancellationToken ct) =>
        ChangeAsync(sessions, session => commands.ResolveAsync(session, tx, note, ct), $"Transaction {tx} marked resolved.", ct);

    private async Task<IActionResult> ChangeAsync(SessionService sessions, Func<OfflineSession, Task<ReplayCommandResult>> command, string done, CancellationToken ct)
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
