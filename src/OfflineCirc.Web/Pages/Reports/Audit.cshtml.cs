using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OfflineCirc.Core.Model;
using OfflineCirc.Web.People;
using OfflineCirc.Web.Reports;

namespace OfflineCirc.Web.Pages.Reports;

/// <summary>Who changed what and when, within the viewer's libraries; newest first, keyset-paged.</summary>
[Authorize(Policy = PeopleSetup.ReadReports)]
public class AuditModel(AuditQueries audit, OfflineCirc.Web.Lookup.LibraryZones zones, OfflineCirc.Core.Data.CircDbContext db) : PageModel
{
    public const int DefaultPageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    [BindProperty(SupportsGet = true, Name = "user")]
    public string? UserName { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Session { get; set; }

    /// <summary>Keyset: the id of the last entry of the previous page.</summary>
    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Size { get; set; }

    public List<AuditEntry> Entries { get; private set; } = [];
    public List<string> Actions { get; private set; } = [];
    public long? NextBefore { get; private set; }
    public int PageSize => Math.Clamp(Size ?? DefaultPageSize, 1, 500);
    private Dictionary<long, int> _sessionOrgs = [];

    /// <summary>An entry's zone: its library's, or its session's library's; UTC for entries tied to neither.</summary>
    public NodaTime.DateTimeZone ZoneOf(AuditEntry e) =>
        zones.Of(e.OrgUnitId ?? (e.SessionId is { } s && _sessionOrgs.TryGetValue(s, out var org) ? org : null), NodaTime.DateTimeZone.Utc);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Actions = await audit.ActionsAsync(ct);
        Entries = await audit.PageAsync(new AuditFilter(Action, UserName, From, To, Session), Before, PageSize + 1, ct);
        if (Entries.Count > PageSize)
        {
            Entries.RemoveAt(Entries.Count - 1);
            NextBefore = Entries[^1].Id;
        }
        await zones.LoadAsync(ct);
        var sessionIds = Entries.Select(e => e.SessionId).OfType<long>().Distinct().ToList();
        _sessionOrgs = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToDictionaryAsync(
            db.Sessions.Where(x => sessionIds.Contains(x.Id)), x => x.Id, x => x.OrgUnitId, ct);
    }

    /// <summary>The transaction an entry is about ("transaction 12 (key)"), for a link to its page.</summary>
    public static long? TransactionOf(AuditEntry e) =>
        e.SessionId is not null && e.Target is { } target && target.StartsWith("transaction ", StringComparison.Ordinal)
            && long.TryParse(target[12..].Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public string Query(long? before)
    {
        var values = new List<string>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                values.Add($"{key}={Uri.EscapeDataString(value)}");
            }
        }
        Add("action", Action);
        Add("user", UserName);
        Add("from", From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("to", To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("session", Session?.ToString(CultureInfo.InvariantCulture));
        Add("size", Size?.ToString(CultureInfo.InvariantCulture));
        Add("before", before?.ToString(CultureInfo.InvariantCulture));
        return string.Join('&', values);
    }
}
