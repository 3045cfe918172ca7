using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OfflineCirc.Core.Replay;
using OfflineCirc.Web.Infrastructure;
using OfflineCirc.Web.People;
using OfflineCirc.Web.Sessions;

namespace OfflineCirc.Web.Pages.Sessions;

/// <summary>The Process and Retry buttons of the session and exceptions pages post here, then go back where they came from.</summary>
public class RunModel(SessionService sessions, Processing processing, UserScope scope) : PageModel
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
        if (await sessions.FindAsync(Id, ct) is null)
        {
            return NotFound();
        }
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
        if (!string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl))
        {
            return LocalRedirect(ReturnUrl);
        }
        return RedirectToPage("/Sessions/Details", new { id = Id });
    }
}
