using Microsoft.Playwright;
using OfflineCirc.Core.Data;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.BrowserTests.Infrastructure;

/// <summary>
/// One database, one app process and one headless Chromium shared by every browser test; each test opens its own
/// browser context, so its IndexedDB, service worker and cookies start empty.
/// </summary>
public sealed class CaptureFixture : IAsyncLifetime
{
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly TestDatabase _database = new();
    private IPlaywright? _playwright;
    private readonly MadeOnce _shared = new();
    private string? _signedInState;

    public AppProcess App { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public Seed Seed { get; private set; } = null!;

    public string BaseUrl => App.BaseUrl;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await using (var db = _database.CreateContext())
        {
            Seed = await Seed.CreateAsync(db);
        }
        // Small replay batches so a run's progress can be watched moving.
        App = await AppProcess.StartAsync(_database.ConnectionString, new Dictionary<string, string> { ["Replay:BatchSize"] = "100" });
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("OFFLINECIRC_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
        // Generous for a busy 2-core machine: a passing check returns as soon as it holds.
        Assertions.SetDefaultExpectTimeout(20_000);
    }

    public CircDbContext CreateDbContext() => _database.CreateContext();

    public Npgsql.NpgsqlDataSource DataSource => _database.DataSource;

    /// <summary>
    /// A fresh browser context; signed in as the consortium administrator unless asked otherwise. The computer's own time
    /// zone is Toronto's, as the seeded libraries', unless a test sets another to show the page does not depend on it.
    /// </summary>
    public async Task<IBrowserContext> NewContextAsync(bool signedIn = true, string timeZone = "America/Toronto")
    {
        var options = new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            Locale = "en-US",
            TimezoneId = timeZone,
            AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        };
        if (signedIn)
        {
            options.StorageState = await SignedInStateAsync();
        }
        var context = await Browser.NewContextAsync(options);
        context.SetDefaultTimeout(30_000);
        return context;
    }

    /// <summary>
    /// Something tests only look at (never change), made once for all of them: such as a page already set up, for
    /// checks that would otherwise repeat the whole set-up each time.
    /// </summary>
    public Task<T> SharedAsync<T>(string key, Func<Task<T>> create)
        where T : class => _shared.GetAsync(key, create);

    /// <summary>An HTTP client signed in through the portal's login form, for the API calls the portal's pages make.</summary>
    public async Task<PortalClient> PortalAsync()
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new System.Net.CookieContainer() };
        var portal = new PortalClient(new HttpClient(handler) { BaseAddress = new Uri(BaseUrl) });
        var login = await portal.LoginAsync(AppFactory.AdminEmail, AppFactory.AdminPassword);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, login.StatusCode);
        return portal;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }
        await _database.DisposeAsync();
    }

    private async Task<string> SignedInStateAsync()
    {
        if (_signedInState is not null)
        {
            return _signedInState;
        }
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl });
        var page = await context.NewPageAsync();
        await LoginForm.SignInAsync(page, AppFactory.AdminEmail, AppFactory.AdminPassword, "/");
        _signedInState = await context.StorageStateAsync();
        return _signedInState;
    }
}

[CollectionDefinition(Name)]
public sealed class CapturePageCollection : ICollectionFixture<CaptureFixture>
{
    public const string Name = "Capture page in Chromium";
}
