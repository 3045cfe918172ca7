using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.BrowserTests.Infrastructure;

/// <summary>
/// The built web app as its own process on a free loopback port: service workers need a real origin, which an
/// in-memory test server cannot give the browser.
/// </summary>
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

    public static async Task<AppProcess> StartAsync(string connectionString)
    {
        var web = Path.Combine(RepoPaths.Root, "src", "OfflineCirc.Web");
        var dll = Path.Combine(web, "bin", RepoPaths.Configuration, "net10.0", "OfflineCirc.Web.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the solution ({RepoPaths.Configuration}) first.");
        }
        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = web,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "--urls", baseUrl, "--contentRoot", web })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ConnectionStrings__Default"] = connectionString;
        start.Environment["Bootstrap__AdminEmail"] = AppFactory.AdminEmail;
        start.Environment["Bootstrap__AdminPassword"] = AppFactory.AdminPassword;
        start.Environment["Jobs__PollSeconds"] = "0.5";
        var process = Process.Start(start) ?? throw new InvalidOperationException("The app process did not start.");
        var app = new AppProcess(process, baseUrl);
        process.OutputDataReceived += (_, e) => app.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => app.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await app.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        return app;
    }

    /// <summary>The last lines the app wrote, for failure messages.</summary>
    public string RecentLog()
    {
        lock (_log)
        {
            return string.Join('\n', _log.TakeLast(60));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
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
            if (_log.Count > 2000)
            {
                _log.RemoveRange(0, 1000);
            }
        }
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with code {_process.ExitCode}:\n{RecentLog()}");
            }
            try
            {
                if ((await http.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Starting up slowly.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The app did not answer /healthz within {timeout.TotalSeconds} s:\n{RecentLog()}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
