using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OfflineCirc.Tests.MultiNode;

/// <summary>
/// A PostgreSQL cluster of this test's own under /var/tmp (initdb on a free port, run as the postgres user when the
/// tests run as root, like scripts/lib.sh), so it can be stopped without disturbing the shared test server.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private static readonly string Bin = Environment.GetEnvironmentVariable("PG_BIN") ?? "/usr/lib/postgresql/15/bin";
    private readonly string _root = Path.Combine("/var/tmp", "oc-pg-" + Guid.NewGuid().ToString("N")[..12]);

    private string Data => Path.Combine(_root, "data");

    public int Port { get; } = FreePort();

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=true";

    public static async Task<ThrowawayPostgres> CreateAsync()
    {
        var pg = new ThrowawayPostgres();
        Directory.CreateDirectory(pg._root);
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", "postgres:", pg._root);
        }
        await pg.AsPostgresAsync(Path.Combine(Bin, "initdb"), "-D", pg.Data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8");
        await File.AppendAllTextAsync(Path.Combine(pg.Data, "postgresql.conf"),
            $"listen_addresses = '127.0.0.1'\nport = {pg.Port}\nunix_socket_directories = '{pg.Data}'\nfsync = off\n");
        await pg.StartAsync();
        return pg;
    }

    public Task StartAsync() => AsPostgresAsync(Path.Combine(Bin, "pg_ctl"), "-D", Data, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "start");

    public Task StopAsync() => AsPostgresAsync(Path.Combine(Bin, "pg_ctl"), "-D", Data, "-m", "fast", "-w", "stop");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await AsPostgresAsync(Path.Combine(Bin, "pg_ctl"), "-D", Data, "-m", "immediate", "-w", "stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }
        Directory.Delete(_root, recursive: true);
    }

    private Task AsPostgresAsync(string program, params string[] args) =>
        Environment.UserName == "root" ? RunAsync("runuser", ["-u", "postgres", "--", program, .. args]) : RunAsync(program, args);

    private static async Task RunAsync(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {await stdout}{await stderr}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
