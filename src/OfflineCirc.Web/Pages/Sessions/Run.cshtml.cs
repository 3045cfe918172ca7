using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Replay;
using OfflineCirc.Web.Infrastructure;
using OfflineCirc.Web.People;
using OfflineCirc.Web.Reports;
using OfflineCirc.Web.Sessions;

namespace OfflineCirc.Web.Pages.Sessions;

/// <summary>The Process and Retry buttons of the session and exceptions pages post here, then go back where they came from.</summary>
public class RunModel(SessionService sessions, Processing processing, UserScope scope, SessionSummary summary, OfflineCirc.Core.Data.CircDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    /// <summary>Local page to return to (the session page when absent).</summary>
    [BindProperty]
    public string? ReturnUrl { get; set; }

    public IActionResult OnGet() => RedirectToPage("/Sessions/Details", new { id = Id });

    public Task<IActionResult> OnPostProcessAsync(CancellationToken ct) => StartAsync(RunKind.Process, ct);

    public Task<IActionResult> OnPostRetryAsync(CancellationToken ct) => StartAsync(RunKind.Retry, ct);

    private async Task<IActionResult> StartAsync(RunKind kind, CancellationToken ct)
    {
        if (!scope.CanAdminister)
        {
            return Forbid();
        }
        if (await sessions.FindAsync(Id, ct) is not { } session)
        {
            return NotFound();
        }
        // A button pressed on a page that was out of date: say why nothing started instead of an empty run.
        if (session.State != Core.Model.SessionState.Processing && await NothingToDoAsync(session, kind, ct) is { } why)
        {
            TempData[SessionFlash.ErrorKey] = why;
        }
        else
        {
            await StartRunAsync(kind, ct);
        }
        if (!string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl))
        {
            return LocalRedirect(ReturnUrl);
        }
        return RedirectToPage("/Sessions/Details", new { id = Id });
    }

    private async Task<string?> NothingToDoAsync(Core.Model.OfflineSession session, RunKind kind, CancellationToken ct)
    {
        var unprocessed = await db.Transactions.AnyAsync(t => t.SessionId == Id && !db.Results.Any(r => r.TransactionId == t.Id && r.IsCurrent), ct);
        if (kind == RunKind.Process)
        {
            return unprocessed ? null : "Nothing new to process: every transaction of this session already has a result.";
        }
        if (session.RunCount == 0)
        {
            return "The session has not been processed yet: press Process first.";
        }
        return unprocessed || await summary.RetryableAsync(Id, ct) > 0 ? null : "Nothing to retry: no failed transactions and none forced.";
    }

    private async Task StartRunAsync(RunKind kind, CancellationToken ct)
    {
        try
        {
            var run = await processing.StartAsync(Id, kind, ct);
            TempData[SessionFlash.MessageKey] = kind == RunKind.Retry
                ? $"Run {run} started: retrying the failed and forced transactions."
                : $"Run {run} started.";
        }
        catch (RefusalException ex)
        {
            TempData.KeepRefusal(SessionFlash.ErrorKey, ex);
        }
    }
}
