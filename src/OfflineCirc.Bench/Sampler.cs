using System.Globalization;

namespace OfflineCirc.Bench;

/// <summary>
/// Reads a figure every few milliseconds in the background while a step runs: the app's resident memory (VmHWM only
/// ever rises, so once a replay has pushed it up it says nothing about a later step), or the machine's load average
/// (on a shared machine, what else ran beside a step explains its figures).
/// </summary>
public sealed class Sampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private double _max;
    private double _sum;

    public Sampler(Func<double?> read, TimeSpan every)
    {
        First = read();
        _max = First ?? 0;
        _sampling = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(every);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    if (read() is { } now)
                    {
                        _max = Math.Max(_max, now);
                        _sum += now;
                        Samples++;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        });
    }

    /// <summary>The app's resident memory (VmRSS) in MiB.</summary>
    public static Sampler ResidentMemory(int pid, TimeSpan every) => new(() => AppProcess.ResidentMemoryMiB(pid), every);

    /// <summary>The machine's load average over the last minute: processes running or waiting for a core.</summary>
    public static Sampler Load() => new(LoadAverage, TimeSpan.FromSeconds(1));

    public static double? LoadAverage() =>
        File.Exists("/proc/loadavg") && double.TryParse(File.ReadAllText("/proc/loadavg").Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var load)
            ? load : null;

    /// <summary>The reading when sampling started.</summary>
    public double? First { get; }

    /// <summary>The largest reading, the first included.</summary>
    public double Max => _max;

    /// <summary>The mean of the readings after the first (the first when there are none).</summary>
    public double Mean => Samples == 0 ? First ?? 0 : _sum / Samples;

    public int Samples { get; private set; }

    /// <summary>Stops sampling.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }
}
