using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OfflineCirc.Tests.Infrastructure;

/// <summary>The app as a separate operating-system process on a free loopback port, so it can be killed for real.</summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _log = [];

    private AppProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <summary>The process's id.</summary>
    public int Id => _process.Id;

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OfflineCirc.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root above " + AppContext.BaseDirectory);
    }

    /// <summary>The web app's own build output, in the same configuration as these tests.</summary>
    public static string AppDll()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var dll = Path.Combine(RepoRoot(), "src", "OfflineCirc.Web", "bin", configuration, "net10.0", "OfflineCirc.Web.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the solution first: " + dll);
    }

    public static async Task<AppProcess> StartAsync(string connectionString, IDictionary<string, string>? settings = null, TimeSpan? timeout = null)
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { AppDll(), "--urls", url, "--contentRoot", Path.Combine(RepoRoot(), "src", "OfflineCirc.Web") },
            WorkingDirectory = Path.Combine(RepoRoot(), "src", "OfflineCirc.Web"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ConnectionStrings__Default"] = connectionString;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        info.Environment["Bootstrap__AdminEmail"] = AppFactory.AdminEmail;
        info.Environment["Bootstrap__AdminPassword"] = AppFactory.AdminPassword;
        info.Environment["Jobs__PollSeconds"] = "0.2";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            info.Environment[key.Replace(":", "__")] = value;
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("The app did not start.");
        var app = new AppProcess(process, url);
        process.OutputDataReceived += (_, e) => app.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => app.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with code {process.ExitCode} while starting:\n{app.RecentLog()}");
            }
            try
            {
                if ((await http.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK)
                {
                    return app;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(250);
        }
        await app.DisposeAsync();
        throw new TimeoutException("The app did not answer /healthz in time.");
    }

    /// <summary>The last lines the app wrote, for failure messages.</summary>
    public string RecentLog(int lines = 60)
    {
        lock (_log)
        {
            return string.Join("\n", _log.TakeLast(lines));
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            _log.Add(line);
            if (_log.Count > 500)
            {
                _log.RemoveRange(0, 250);
            }
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, exactly like a power cut of the app.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
