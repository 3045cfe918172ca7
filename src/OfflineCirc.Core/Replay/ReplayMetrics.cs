using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace OfflineCirc.Core.Replay;

/// <summary>The replay's own metrics (BCL meters, so Core needs no telemetry package); the web app exports them when enabled.</summary>
public static class ReplayMetrics
{
    public const string MeterName = "OfflineCirc.Replay";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Transactions = Meter.CreateCounter<long>(
        "offlinecirc.replay.transactions", "{transaction}", "Transactions replayed; its rate is transactions per second.");

    private static readonly Histogram<double> BatchDuration = Meter.CreateHistogram<double>(
        "offlinecirc.replay.batch.duration", "s", "Time to load, apply and commit one batch.");

    // Transactions still to replay in each run this process is working on, by session.
    private static readonly ConcurrentDictionary<long, int> Remaining = new();

    private static readonly ObservableGauge<int> QueueLength = Meter.CreateObservableGauge(
        "offlinecirc.replay.queue.length", () => Remaining.Values.Sum(), "{transaction}", "Transactions still to replay in this process's runs.");

    public static void BatchCommitted(BatchReport report)
    {
        Transactions.Add(report.Transactions);
        BatchDuration.Record(report.Elapsed.TotalSeconds);
        Remaining[report.SessionId] = Math.Max(0, report.Total - report.Done);
    }

    public static void RunEnded(long sessionId) => Remaining.TryRemove(sessionId, out _);
}
