using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.BrowserTests.Infrastructure;

/// <summary>
/// One database, app process and headless Chromium for the portal's browser tests, with a person of each role made
/// through the portal's own "Add a user" form. Each test opens its own browser context, signed in as whom it needs.
/// </summary>
public sealed class PortalFixture : IAsyncLifetime
{
    public const string Password = "Portal-Password-1";
    public const string AdministratorEmail = "admin.sys1@portal.test";
    public const string StaffEmail = "staff.br1@portal.test";
    public const string AuditorEmail = "auditor.sys1@portal.test";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly TestDatabase _database = new();
    private readonly Dictionary<string, string> _signedIn = [];
    private readonly MadeOnce _shared = new();
    private IPlaywright? _playwright;

    public AppProcess App { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public Seed Seed { get; private set; } = null!;
    public PortalWorld World { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await using (var db = _database.CreateContext())
        {
            Seed = await Seed.CreateAsync(db);
        }
        World = new PortalWorld(_database.DataSource);
        App = await AppProcess.StartAsync(_database.ConnectionString, new Dictionary<string, string> { ["Replay:BatchSize"] = "100" });
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("OFFLINECIRC_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
        Assertions.SetDefaultExpectTimeout(20_000);
        await AddPeopleAsync();
    }

    public CircDbContext CreateDbContext() => _database.CreateContext();

    /// <summary>A browser context at a 1366x768 screen, signed in as <paramref name="email"/> (no one when null).</summary>
    public async Task<IBrowserContext> NewContextAsync(string? email = AppFactory.AdminEmail)
    {
        var options = new BrowserNewContextOptions
        {
            BaseURL = App.BaseUrl,
            Locale = "en-US",
            TimezoneId = "Europe/Berlin",
            AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
        };
        if (email is not null)
        {
            options.StorageState = await SignedInStateAsync(email);
        }
        var context = await Browser.NewContextAsync(options);
        context.SetDefaultTimeout(30_000);
        return context;
    }

    public async Task<IPage> NewPageAsync(string? email = AppFactory.AdminEmail) => await (await NewContextAsync(email)).NewPageAsync();

    /// <summary>Something tests only look at, made once for all of them.</summary>
    public Task<T> SharedAsync<T>(string key, Func<Task<T>> create)
        where T : class => _shared.GetAsync(key, create);

    public static string PasswordOf(string email) => email == AppFactory.AdminEmail ? AppFactory.AdminPassword : Password;

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

    private async Task<string> SignedInStateAsync(string email)
    {
        lock (_signedIn)
        {
            if (_signedIn.TryGetValue(email, out var known))
            {
                return known;
            }
        }
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = App.BaseUrl });
        var page = await context.NewPageAsync();
        await LoginForm.SignInAsync(page, email, PasswordOf(email), "/");
        var state = await context.StorageStateAsync();
        lock (_signedIn)
        {
            _signedIn[email] = state;
        }
        return state;
    }

    /// <summary>The consortium administrator adds the other roles' people through the portal, as a library would.</summary>
    private async Task AddPeopleAsync()
    {
        await using var db = _database.CreateContext();
        var orgs = await db.OrgUnits.AsNoTracking().ToDictionaryAsync(o => o.ShortName, o => o.Id);
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        foreach (var (email, role, org) in new[]
                 {
                     (AdministratorEmail, Roles.Administrator, "SYS1"), (StaffEmail, Roles.Staff, "BR1"), (AuditorEmail, Roles.Auditor, "SYS1"),
                 })
        {
            await AddUserAsync(page, email, role, orgs[org]);
        }
    }

    public static async Task AddUserAsync(IPage page, string email, string role, int homeOrgId)
    {
        await page.GotoAsync("/Admin/Users/Create");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(email.Split('@')[0]);
        await page.GetByLabel("First password").FillAsync(Password);
        await page.GetByLabel("Role").SelectOptionAsync(role);
        await page.GetByLabel("Home library").SelectOptionAsync(homeOrgId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
        await page.WaitForURLAsync("**/Admin/Users");
    }
}

[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "Portal in Chromium";
}
