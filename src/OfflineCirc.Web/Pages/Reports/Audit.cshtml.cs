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
public class AuditModel(AuditQueries audit) : PageModel
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

    public async Task OnGetAsync(CancellationToken ct)
    {
        Actions = await audit.ActionsAsync(ct);
        Entries = await audit.PageAsync(new AuditFilter(Action, UserName, From, To, Session), Before, PageSize + 1, ct);
        if (Entries.Count > PageSize)
        {
            Entries.RemoveAt(Entries.Count - 1);
            NextBefore = Entries[^1].Id;
        }
    }

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
