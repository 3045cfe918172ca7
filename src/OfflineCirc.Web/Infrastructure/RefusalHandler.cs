using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using OfflineCirc.Core.Formats;

namespace OfflineCirc.Web.Infrastructure;

/// <summary>The refusal a portal request ended with, for the status-code page to show.</summary>
public sealed record RefusalFeature(Refusal Refusal);

/// <summary>
/// The one place a refusal becomes an answer: problem details under /api, and for the portal the status code with the
/// sentence kept in <see cref="RefusalFeature"/> for the status-code page. Other exceptions are left to the error page.
/// </summary>
public sealed class RefusalHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (http.Response.HasStarted || AsRefusal(exception) is not { } refusal)
        {
            return false;
        }
        await AnswerAsync(http, refusal);
        return true;
    }

    /// <summary>What a known exception means to the person who sent the request; null for a real fault.</summary>
    public static Refusal? AsRefusal(Exception exception) => exception switch
    {
        RefusalException r => r.Refusal,
        UnreadableFileException u => Refusals.UnreadableFile(u.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => new(413, "The request is larger than this server accepts."),
        BadHttpRequestException b => new(b.StatusCode, Refusals.UnreadableRequest.Sentence),
        _ => null,
    };

    public async Task AnswerAsync(HttpContext http, Refusal refusal)
    {
        var path = http.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? http.Request.Path.Value;
        http.Response.StatusCode = refusal.Status;
        http.Features.Set(new RefusalFeature(refusal));
        if (IsApi(path))
        {
            await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = { Status = refusal.Status, Title = refusal.Sentence, Detail = refusal.Detail },
            });
        }
        // A page's answer stays empty: the status-code page shows the sentence kept in the feature.
    }

    public static bool IsApi(string? path) => path is not null && path.StartsWith("/api", StringComparison.OrdinalIgnoreCase);

    /// <summary>An empty error answer under /api as problem details, with the refusal's sentence when there is one.</summary>
    public static async Task WriteApiStatusAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var refusal = http.Features.Get<RefusalFeature>()?.Refusal;
        var status = http.Response.StatusCode;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Title = refusal?.Sentence ?? ReasonPhrase(status), Detail = refusal?.Detail },
        });
    }

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";
}

/// <summary>How a page handler shows a refusal on the page it stays on, or on the page it redirects to.</summary>
public static class PageRefusals
{
    public const string TempDataKey = "RefusalMessage";

    /// <summary>Puts the sentence where the page's validation summary shows it and answers with the refusal's status.</summary>
    public static void AddRefusal(this ModelStateDictionary modelState, HttpResponse response, RefusalException refusal)
    {
        response.StatusCode = refusal.Status;
        modelState.AddModelError("", refusal.Message);
    }

    /// <summary>Keeps the sentence for the page a redirect leads to.</summary>
    public static void KeepRefusal(this ITempDataDictionary tempData, string key, RefusalException refusal) =>
        tempData[key] = refusal.Message;
}
