using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OfflineCirc.BrowserTests.Infrastructure;

/// <summary>What a person does on the portal's session pages, by pressing the buttons they see.</summary>
public static class SessionPage
{
    /// <summary>Creates a session from the sessions list and returns its id, read from the address the page lands on.</summary>
    public static async Task<long> CreateAsync(IPage page, string org, string description)
    {
        await page.GotoAsync("/Sessions");
        await page.GetByLabel("Library", new() { Exact = true }).SelectOptionAsync(org);
        await page.GetByLabel("Description").FillAsync(description);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create session" }).ClickAsync();
        await page.WaitForURLAsync("**/Sessions/Details/*");
        return long.Parse(new Uri(page.Url).Segments[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task UploadAsync(IPage page, FilePayload file, string workstation = Seed.Workstation)
    {
        await page.GetByLabel("Workstation", new() { Exact = true }).SelectOptionAsync(workstation);
        await page.GetByLabel("File", new() { Exact = true }).SetInputFilesAsync(file);
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        await Expect(page.Locator("#upload-summary")).ToBeVisibleAsync();
    }

    /// <summary>Presses a run button (Process or Retry) and waits until the page, reloading itself, shows the run ended.</summary>
    public static async Task RunAsync(IPage page, string button)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();
        await Expect(page.Locator("#session-progress [data-field=state]")).ToHaveTextAsync("Processed", new() { Timeout = 120_000 });
    }

    public static ILocator Row(IPage page, long transactionId) => page.Locator($"#tx-{transactionId}");
}
