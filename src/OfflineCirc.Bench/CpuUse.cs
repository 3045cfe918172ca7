using System.Globalization;

namespace OfflineCirc.Bench;

/// <summary>
/// The CPU the machine and its parts used over a stretch, from /proc: the machine's cores as a whole, PostgreSQL's
/// processes (those running and, through the server's own counters, those that ended meanwhile) and named app
/// processes. Over a step that could use both cores, the machine's busy time halved is the shortest the step could have
/// taken with the same work perfectly spread over them.
/// </summary>
public sealed class CpuUse
{
    // USER_HZ, 100 on Linux everywhere.
    private const double ClockTicksPerSecond = 100;

    private readonly (string Name, int Pid)[] _apps;
    private readonly Reading _start;

    private sealed record Reading(double Busy, double Steal, double Postgres, double[] Apps);

    private CpuUse((string Name, int Pid)[] apps)
    {
        _apps = apps;
        _start = Read();
    }

    /// <summary>Starts counting now, for the machine, PostgreSQL and the named processes.</summary>
    public static CpuUse Start(params (string Name, int Pid)[] apps) => new(apps);

    /// <summary>
    /// The machine's busy seconds since the start, and what was used in words for a stretch of <paramref name="seconds"/>
    /// (null where /proc is missing).
    /// </summary>
    public (double Busy, string? Text) Stop(double seconds)
    {
        if (!File.Exists("/proc/stat"))
        {
            return (0, null);
        }
        var end = Read();
        var busy = end.Busy - _start.Busy;
        var cores = Environment.ProcessorCount;
        var parts = string.Join(", ", new[] { ("PostgreSQL", end.Postgres - _start.Postgres) }
            .Concat(_apps.Select((a, i) => (a.Name, end.Apps[i] - _start.Apps[i])))
            .Select(p => $"{p.Item1} {p.Item2:0.0} s"));
        var steal = end.Steal - _start.Steal;
        return (busy, $"the machine's cores were busy {busy:0.0} s of {seconds * cores:0.0} s ({busy / (seconds * cores) * 100:0}%; {parts}" +
            (steal >= 0.5 ? $"; {steal:0.0} s taken by the host" : "") +
            $"): spread perfectly over {cores} cores, that work takes at least {busy / cores:0.0} s");
    }

    private Reading Read() =>
        new(MachineTicks(out var steal) / ClockTicksPerSecond, steal / ClockTicksPerSecond, PostgresSeconds(), [.. _apps.Select(a => (Milliseconds(a.Pid) ?? 0) / 1000)]);

    /// <summary>The machine's busy ticks (user, nice, system, interrupts) over all cores; <paramref name="steal"/>, the host's.</summary>
    private static double MachineTicks(out double steal)
    {
        steal = 0;
        if (!File.Exists("/proc/stat"))
        {
            return 0;
        }
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        double Field(int i) => cpu.Length > i ? double.Parse(cpu[i], CultureInfo.InvariantCulture) : 0;
        steal = Field(8);
        return Field(1) + Field(2) + Field(3) + Field(6) + Field(7);
    }

    /// <summary>
    /// CPU of every PostgreSQL process so far, in seconds: those running, and the ended ones the server's first process
    /// has reaped (its children's counters).
    /// </summary>
    private static double PostgresSeconds()
    {
        var postgres = new Dictionary<int, (int Parent, double Own, double Children)>();
        foreach (var dir in Directory.Exists("/proc") ? Directory.EnumerateDirectories("/proc") : [])
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Fields(pid) is { Command: "postgres" } f)
            {
                postgres[pid] = (f.Parent, f.Own, f.Children);
            }
        }
        // The server's first process is the one whose parent is not PostgreSQL's.
        return postgres.Values.Sum(p => p.Own + (postgres.ContainsKey(p.Parent) ? 0 : p.Children)) / ClockTicksPerSecond;
    }

    /// <summary>User and system CPU time of a process, or of one of its threads, so far, in ms; null when it is gone or /proc is missing.</summary>
    public static double? Milliseconds(int pid, int? thread = null) =>
        Fields(pid, thread) is { } f ? f.Own * 1000.0 / ClockTicksPerSecond : null;

    private static (string Command, int Parent, double Own, double Children)? Fields(int pid, int? thread = null)
    {
        try
        {
            var stat = File.ReadAllText(thread is { } tid ? $"/proc/{pid}/task/{tid}/stat" : $"/proc/{pid}/stat");
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            // Fields after the command name, which is in parentheses and may hold spaces: the parent is the 2nd, utime
            // and stime the 12th and 13th, the reaped children's the 14th and 15th.
            var fields = stat[(close + 2)..].Split(' ');
            double Ticks(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
            return (stat[(open + 1)..close], int.Parse(fields[1], CultureInfo.InvariantCulture), Ticks(11) + Ticks(12), Ticks(13) + Ticks(14));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
