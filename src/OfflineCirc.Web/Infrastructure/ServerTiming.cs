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
    public static void Add(HttpResponse response, string name, long started, bool kept)
    {
        var metric = string.Create(CultureInfo.InvariantCulture,
            $"{name};dur={Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.###};desc={(kept ? "kept" : "read")}");
        var existing = response.Headers["Server-Timing"].ToString();
        response.Headers["Server-Timing"] = existing.Length == 0 ? metric : $"{existing}, {metric}";
    }
}
