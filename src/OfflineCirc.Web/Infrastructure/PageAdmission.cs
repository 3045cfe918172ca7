using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace OfflineCirc.Web.Infrastructure;

/// <summary>
/// How many portal pages a node renders at once (docs/adr-020). Pages beyond that wait their turn in the order they
/// came, instead of all being rendered at once on a machine with a couple of cores, where each would take as long as
/// all of them. The API, the offline page, static files, health probes and posted forms never wait here, so a status
/// poll is not held behind a queue of people paging through exceptions.
/// </summary>
public sealed class PageAdmission : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;

    /// <summary>
    /// Reads Portal:PagesAtOnce (pages rendered at once, one per core unless set) and Portal:PagesQueued (pages that may
    /// wait their turn, 1,000 unless set; one more is refused as busy).
    /// </summary>
    public PageAdmission(IConfiguration configuration) => _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
    {
        PermitLimit = Math.Max(1, configuration.GetValue("Portal:PagesAtOnce", Environment.ProcessorCount)),
        QueueLimit = Math.Max(0, configuration.GetValue("Portal:PagesQueued", 1000)),
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    /// <summary>
    /// Whether the request reads a portal page (after routing has chosen its endpoint). Forms posted to a page do not
    /// wait: an upload or an import holds its request for as long as the file takes to arrive. An error page shown for
    /// a request that already had its turn, or was refused one, does not queue again.
    /// </summary>
    public static bool IsPage(HttpContext http) =>
        (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
        && http.GetEndpoint()?.Metadata.GetMetadata<PageActionDescriptor>() is not null
        && http.Features.Get<IStatusCodeReExecuteFeature>() is null;

    /// <summary>Pages rendering and waiting right now.</summary>
    public RateLimiterStatistics? Statistics => _limiter.GetStatistics();

    /// <summary>Waits for the page's turn; null when the queue is full.</summary>
    public async ValueTask<RateLimitLease?> EnterAsync(CancellationToken ct)
    {
        var lease = await _limiter.AcquireAsync(1, ct);
        if (lease.IsAcquired)
        {
            return lease;
        }
        lease.Dispose();
        return null;
    }

    public void Dispose() => _limiter.Dispose();
}

public static class PageAdmissionExtensions
{
    /// <summary>Goes right after routing, so the sign-in check and everything after it count in a page's turn.</summary>
    public static void UsePageAdmission(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (!PageAdmission.IsPage(http))
            {
                await next(http);
                return;
            }
            using var lease = await http.RequestServices.GetRequiredService<PageAdmission>().EnterAsync(http.RequestAborted);
            if (lease is null)
            {
                http.Response.Headers.RetryAfter = "5";
                await http.RequestServices.GetRequiredService<RefusalHandler>().AnswerAsync(http, Refusals.PortalBusy);
                return;
            }
            await next(http);
        });
    }
}
