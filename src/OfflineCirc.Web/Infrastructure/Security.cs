using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace OfflineCirc.Web.Infrastructure;

/// <summary>Security headers, sign-in rate limits, and the request guard that keeps bad input from becoming a 500.</summary>
public static class Security
{
    /// <summary>
    /// Scripts and styles come from the app's own files only; nothing may frame the app. The one hash is the
    /// style="display:none" that ASP.NET Core's validation summary writes on its empty list item.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-hashes' 'sha256-aqNNdDLnnrDOnTNdkJpYlAxKVJtLt9CtFLklmInuUAE='; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    // The job dashboard is a third-party page that still sets a few style attributes.
    private const string DashboardPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public const string SignInPolicy = "sign-in";

    public static IServiceCollection AddHardening(this IServiceCollection services)
    {
        services.AddExceptionHandler<RefusalHandler>();
        services.AddSingleton<RefusalHandler>();
        services.AddScoped<SignInTiming>();
        services.AddRateLimiter(o =>
        {
            // One budget per client address for every way of proving a password: the sign-in form and token creation.
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => IsSignIn(http.Request)
                ? RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "local",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = SignInsPerMinute(http), Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter(""));
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                await context.HttpContext.RequestServices.GetRequiredService<RefusalHandler>().AnswerAsync(context.HttpContext, Refusals.TooManySignIns);
            };
        });
        return services;
    }

    /// <summary>Goes right after request logging, so refusals and disconnects are logged as what they are.</summary>
    public static void UseHardening(this WebApplication app)
    {
        app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                AddHeaders(http);
                return Task.CompletedTask;
            });
            return next(http);
        });
        app.UseRateLimiter();
        app.UseMiddleware<RequestGuard>();
    }

    private static int SignInsPerMinute(HttpContext http) =>
        http.RequestServices.GetRequiredService<IConfiguration>().GetValue("Security:SignInsPerMinute", 20);

    public static bool IsSignIn(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && (request.Path.Equals("/Account/Login", StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals("/api/auth/token", StringComparison.OrdinalIgnoreCase));

    private static void AddHeaders(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        headers.XFrameOptions = "DENY";
        headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments("/hangfire") ? DashboardPolicy : ContentSecurityPolicy;
    }
}
