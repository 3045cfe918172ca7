using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace OfflineCirc.Bench;

/// <summary>The web app started as its own process, so its memory can be measured apart from the benchmark's.</summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;

    private AppProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public int Id => _process.Id;

    /// <summary>Whether the servers started here print their log (`--app-log true`), e.g. intake's timing split.</summary>
    public static bool ShowLog { get; set; }

    public static Process Start(string webDll, IEnumerable<string> args, IDictionary<string, string> environment, bool quiet = true)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = quiet, RedirectStandardError = false, UseShellExecute = false };
        info.ArgumentList.Add(webDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        if (quiet)
        {
            // Drain the log so the app never blocks on a full pipe.
            _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        }
        return process;
    }

    public static async Task<AppProcess> StartServerAsync(string webDll, IDictionary<string, string> environment)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        environment["ASPNETCORE_URLS"] = address.ToString();
        var process = Start(webDll, [], environment, quiet: !ShowLog);
        var app = new AppProcess(process, address);
        using var http = new HttpClient { BaseAddress = address };
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with code {process.ExitCode} while starting.");
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
        throw new TimeoutException("The app did not answer /healthz within 3 minutes.");
    }

    /// <summary>What every benchmark's app needs: its database, a first administrator, no job server unless asked.</summary>
    public static Dictionary<string, string> Environment(BenchDatabase database, BenchAccount account) => new()
    {
        ["ConnectionStrings__Default"] = database.ConnectionString,
        ["Bootstrap__AdminEmail"] = account.Email,
        ["Bootstrap__AdminPassword"] = account.Password,
        ["Jobs__Server"] = "false",
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
    };

    /// <summary>A client that calls the API with a personal access token of the account.</summary>
    public async Task<HttpClient> SignInAsync(BenchAccount account)
    {
        var http = new HttpClient { BaseAddress = Address, Timeout = Timeout.InfiniteTimeSpan };
        var token = await http.PostAsJsonAsync("/api/auth/token", new { email = account.Email, password = account.Password, name = "bench" });
        token.EnsureSuccessStatusCode();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString());
        return http;
    }

    /// <summary>
    /// A client signed in through the login form that keeps its cookie, as a person's browser is: what the portal's
    /// pages need. Null (after saying why) when the sign-in is refused.
    /// </summary>
    public async Task<HttpClient?> SignInWithFormAsync(BenchAccount account)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = Address,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var login = await http.GetStringAsync("/Account/Login");
        var antiforgery = System.Text.RegularExpressions.Regex.Match(login, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var signedIn = await http.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = account.Email,
            ["Input.Password"] = account.Password,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(antiforgery),
        }));
        if ((int)signedIn.StatusCode != 302)
        {
            Console.Error.WriteLine($"Sign-in failed: {(int)signedIn.StatusCode}");
            http.Dispose();
            return null;
        }
        return http;
    }

    /// <summary>Peak resident memory of the process (VmHWM), in MiB; null where /proc is not available.</summary>
    public static double? PeakMemoryMiB(int pid) => StatusMiB(pid, "VmHWM:");

    /// <summary>Resident memory of the process right now (VmRSS), in MiB; null where /proc is not available.</summary>
    public static double? ResidentMemoryMiB(int pid) => StatusMiB(pid, "VmRSS:");

    private static double? StatusMiB(int pid, string field)
    {
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status))
        {
            return null;
        }
        try
        {
            var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            var kb = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            return kb is null ? null : long.Parse(kb, System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException)
        {
            // The process ended between the check and the read.
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // Stopped as a service manager stops a node (SIGTERM), so what a node finishes on its way out is finished;
            // killed if it has not stopped within a minute.
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }
            using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            try
            {
                await _process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The first administrator of a benchmark's database, with a password made for this run.</summary>
public sealed record BenchAccount(string Email, string Password)
{
    public static BenchAccount New() => new("bench@bench.example", "Bench-" + Guid.NewGuid().ToString("N")[..12]);
}
