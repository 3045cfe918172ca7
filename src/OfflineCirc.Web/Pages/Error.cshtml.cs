using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace OfflineCirc.Web.Pages;

/// <summary>
/// Any failed request that is not for a script, whatever its method: a crash (500, from the exception handler) or an empty
/// 400, 403 or 404 shown again here by the status-code pages, so a failed form post also gets words, not a bare status.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public class ErrorModel : PageModel
{
    // Read from the route by hand: binding would read a re-executed post's form, which may be the very thing refused.
    public int? Code => int.TryParse(RouteData.Values["code"]?.ToString(), out var code) ? code : null;

    public string Heading { get; private set; } = "";
    public string Sentence { get; private set; } = "";
    public string? BackUrl { get; private set; }
    public string BackText { get; private set; } = "";

    public void OnGet() => Describe();

    public void OnPost() => Describe();

    private void Describe()
    {
        var status = Code is >= 400 and < 600 ? Code.Value : StatusCodes.Status500InternalServerError;
        Response.StatusCode = status;
        (Heading, Sentence) = status switch
        {
            StatusCodes.Status400BadRequest => ("The request could not be used",
                "Something in what was sent could not be used. If you sent a form, the page may have been open too long: go back, reload it and try again."),
            StatusCodes.Status403Forbidden => ("Not allowed",
                "Your account does not have the right to do this. Ask an administrator of your library if you need it."),
            StatusCodes.Status404NotFound => ("Not found",
                "There is no such page, or what it would show is not in your libraries. Check the address, or start again from the links below."),
            StatusCodes.Status405MethodNotAllowed => ("Not possible here",
                "This page cannot do that. Go back to the page you came from and use its buttons."),
            StatusCodes.Status413PayloadTooLarge => ("File too large",
                "The file is larger than this server accepts. Split it, or ask your administrator about the upload limit."),
            StatusCodes.Status503ServiceUnavailable => ("Busy right now",
                "The portal has many pages to show at once. Wait a few seconds and try again; nothing was changed."),
            < 500 => ("The request could not be completed",
                "Something in what was sent could not be used. Go back, reload the page and try again."),
            _ => ("Something went wrong",
                "The request could not be completed. Nothing was half-saved: try again, and if it keeps failing, tell your administrator the time it happened."),
        };
        if (HttpContext.Features.Get<Infrastructure.RefusalFeature>()?.Refusal is { } refusal)
        {
            // The request was refused for a reason the refusal catalogue words exactly.
            Sentence = string.Join(' ', new[] { refusal.Sentence, refusal.Detail }.Where(s => !string.IsNullOrEmpty(s)));
        }
        var original = HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalPath
            ?? HttpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path;
        if (original is not null && original.StartsWith("/Sessions", StringComparison.OrdinalIgnoreCase) && User.Identity?.IsAuthenticated == true)
        {
            (BackUrl, BackText) = ("/Sessions", "Back to the list of sessions");
        }
        else if (original is not null && original.StartsWith("/Lookup", StringComparison.OrdinalIgnoreCase) && User.Identity?.IsAuthenticated == true)
        {
            (BackUrl, BackText) = ("/Lookup", "Look up another barcode");
        }
    }
}
