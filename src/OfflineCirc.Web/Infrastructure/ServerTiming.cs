using System.Diagnostics;
using System.Globalization;

namespace OfflineCirc.Web.Infrastructure;

/// <summary>The answer's Server-Timing: one metric per part of a request that can come from memory or the database.</summary>
public static class ServerTiming
{
    /// <summary>
    /// Adds the metric <paramref name="name"/>: how long it took since <paramref name="started"/> (a
    /// <see cref="Stopwatch.GetTimestamp"/>) and whether it came from memory ("kept") or the database ("read"). Metrics
    /// added by different parts of one request share one header value, as a list.
    /// </summary>
    public static void Add(HttpResponse response, string name, long started, bool kept) =>
        Add(response, string.Create(CultureInfo.InvariantCulture,
            $"{name};dur={Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.###};desc={(kept ? "kept" : "read")}"));

    /// <summary>
    /// Adds, to an answer that names its parts' times, the metric "app": how long the node held the request, from the
    /// first step of its pipeline to the answer's start. A client that waited much longer waited outside the node's
    /// code: for the network, the server's sockets or a core.
    /// </summary>
    public static void UseServerTiming(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var started = Stopwatch.GetTimestamp();
        context.Response.OnStarting(() =>
        {
            if (context.Response.Headers.ContainsKey("Server-Timing"))
            {
                Add(context.Response, string.Create(CultureInfo.InvariantCulture, $"app;dur={Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.###}"));
            }
            return Task.CompletedTask;
        });
        return next(context);
    });

    private static void Add(HttpResponse response, string metric)
    {
        var existing = response.Headers["Server-Timing"].ToString();
        response.Headers["Server-Timing"] = existing.Length == 0 ? metric : $"{existing}, {metric}";
    }
}
