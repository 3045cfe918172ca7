using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OfflineCirc.BrowserTests.Infrastructure;

/// <summary>The capture page at /offline/, driven through its data-testid hooks as staff with a scanner would.</summary>
public sealed class CapturePage(IPage page)
{
    public static readonly string[] Types = ["checkout", "renew", "checkin", "in_house_use", "register", "payment"];

    public IPage Page { get; } = page;

    public ILocator Status => ById("status");
    public ILocator Alert => ById("alert");
    public ILocator Dialog => ById("warning-dialog");

    public ILocator ById(string testId) => Page.GetByTestId(testId);

    public static async Task<CapturePage> OpenAsync(IBrowserContext context)
    {
        var capture = new CapturePage(await context.NewPageAsync());
        await capture.Page.GotoAsync("/offline/");
        await capture.WaitStartedAsync();
        return capture;
    }

    /// <summary>Sets up online, then cuts the network and reloads, as at the start of an outage.</summary>
    public static async Task<CapturePage> OpenOfflineAsync(IBrowserContext context)
    {
        var capture = await OpenAsync(context);
        await capture.SetUpAsync();
        await capture.GoOfflineAsync(context);
        return capture;
    }

    public async Task GoOfflineAsync(IBrowserContext context)
    {
        await context.SetOfflineAsync(true);
        await ReloadAsync();
        await Expect(ById("network-status")).ToContainTextAsync("Offline");
    }

    /// <summary>Waits for the page's start-up (storage opened, lists drawn, service worker registered).</summary>
    public async Task WaitStartedAsync()
    {
        await Page.WaitForFunctionAsync("() => window.offlineCirc && window.offlineCirc.ready");
        await Page.EvaluateAsync("() => window.offlineCirc.ready");
    }

    public async Task ReloadAsync()
    {
        await Page.ReloadAsync();
        await WaitStartedAsync();
    }

    /// <summary>Settings: choose the seeded workstation, refresh library data and block list, wait until ready.</summary>
    public async Task SetUpAsync()
    {
        await TabAsync("settings");
        var select = ById("settings-workstation");
        await Expect(select.Locator($"option[value='{Seed.Workstation}']")).ToHaveCountAsync(1);
        await select.SelectOptionAsync(Seed.Workstation);
        await Expect(ById("settings-current-workstation")).ToContainTextAsync(Seed.Workstation);
        await ById("settings-refresh").ClickAsync();
        await Expect(Status).ToHaveTextAsync("Library data and block list refreshed.");
        await Expect(ById("readiness")).ToHaveAttributeAsync("data-ready", "true");
    }

    public async Task TabAsync(string name)
    {
        await ById($"tab-{name}").ClickAsync();
        await Expect(ById($"panel-{name}")).ToBeVisibleAsync();
    }

    // ---- Captures. Each waits until the page confirms it, or until the warning dialog asks. ----

    public async Task CheckoutAsync(string patron, string item, bool expectWarning = false)
    {
        await TabAsync("checkout");
        await ScanAsync("checkout-patron", patron);
        await ScanAsync("checkout-item", item);
        await ConfirmedAsync(item, expectWarning);
    }

    public async Task CheckoutNoncatAsync(string patron, string type, int count)
    {
        await TabAsync("checkout");
        await ScanAsync("checkout-patron", patron);
        await ById("checkout-noncat-type").SelectOptionAsync(type);
        await ById("checkout-noncat-count").FillAsync(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await ById("checkout-record-noncat").ClickAsync();
        await ConfirmedAsync($"{count} × {type}", false);
    }

    public async Task RenewAsync(string item, string? patron = null, bool expectWarning = false)
    {
        await TabAsync("renew");
        await ById("renew-patron").FillAsync(patron ?? "");
        await ScanAsync("renew-item", item);
        await ConfirmedAsync(item, expectWarning);
    }

    /// <summary>backdate is a datetime-local value (yyyy-MM-ddTHH:mm) or null for none.</summary>
    public async Task CheckinAsync(string item, string? backdate = null, bool expectWarning = false)
    {
        await TabAsync("checkin");
        await ById("checkin-backdate").FillAsync(backdate ?? "");
        await ScanAsync("checkin-item", item);
        await ConfirmedAsync(item, expectWarning);
    }

    public async Task InHouseUseAsync(string item, int count, bool expectWarning = false)
    {
        await TabAsync("inhouse");
        await ById("inhouse-count").FillAsync(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await ScanAsync("inhouse-item", item);
        await ConfirmedAsync(item, expectWarning);
    }

    public async Task RegisterAsync(string card, string family, string first)
    {
        await TabAsync("register");
        await ById("register-card").FillAsync(card);
        await ById("register-family_name").FillAsync(family);
        await ById("register-first_given_name").FillAsync(first);
        await ById("register-profile").SelectOptionAsync(Seed.Profile);
        await Expect(ById("register-home_ou")).ToHaveValueAsync(Seed.Org);
        await ById("register-submit").ClickAsync();
        await ConfirmedAsync(card, false);
    }

    /// <summary>Payment tab as at the desk: scan the card, then type amount and note, each ended with Enter.</summary>
    public async Task PaymentAsync(string patron, string amount, string note, bool expectWarning = false)
    {
        await TabAsync("payment");
        await ScanAsync("payment-patron", patron);
        await Expect(ById("payment-amount")).ToBeFocusedAsync();
        await Page.Keyboard.TypeAsync(amount);
        await Page.Keyboard.PressAsync("Enter");
        await Expect(ById("payment-note")).ToBeFocusedAsync();
        await Page.Keyboard.TypeAsync(note);
        await Page.Keyboard.PressAsync("Enter");
        await ConfirmedAsync($"patron {patron}", expectWarning);
    }

    /// <summary>A scanner types the barcode and presses Enter.</summary>
    private async Task ScanAsync(string testId, string value)
    {
        var field = ById(testId);
        await field.FillAsync(value);
        await field.PressAsync("Enter");
    }

    private async Task ConfirmedAsync(string text, bool expectWarning)
    {
        if (expectWarning)
        {
            await Expect(Dialog).ToBeVisibleAsync();
            return;
        }
        await Expect(Status).ToContainTextAsync(text);
        await Expect(Status).ToContainTextAsync("Recorded");
    }

    // ---- The warning dialog ----

    public async Task<string> WarningTextAsync(string code)
    {
        await Expect(Dialog).ToBeVisibleAsync();
        var item = ById($"warning-{code}");
        await Expect(item).ToBeVisibleAsync();
        return await item.InnerTextAsync();
    }

    public async Task DecideAsync(bool allow)
    {
        await ById(allow ? "warning-allow" : "warning-reject").ClickAsync();
        await Expect(Dialog).ToBeHiddenAsync();
        // The dialog closes before the decision is written: wait until no capture is still held.
        await UntilAsync("async () => !(await (await import('/offline/js/db.js')).pending()).some(r => r.local?.held)",
            "A capture is still held after its dialog closed.");
    }

    /// <summary>
    /// Polls an asynchronous condition in the page until it is true. Playwright's waitForFunction takes the promise an
    /// async function returns as already true, so conditions that read storage are polled from here.
    /// </summary>
    public Task UntilAsync(string asyncCondition, string failure, int seconds = 10) =>
        Poll.UntilAsync(async () => await Page.EvaluateAsync<bool>(asyncCondition) ? this : null, seconds, failure);

    // ---- What is stored ----

    public ILocator PendingCount(string type) => ById($"pending-count-{type}");

    public async Task ExpectPendingCountsAsync(IReadOnlyDictionary<string, int> expected)
    {
        foreach (var type in Types)
        {
            await Expect(PendingCount(type)).ToHaveTextAsync(expected.GetValueOrDefault(type).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        await Expect(PendingCount("total")).ToHaveTextAsync(expected.Values.Sum().ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>What window.offlineCirc.pendingCount() answers (captures awaiting a decision are not counted).</summary>
    public Task<int> PendingCountAsync() => Page.EvaluateAsync<int>("() => window.offlineCirc.pendingCount()");

    /// <summary>The pending records exactly as IndexedDB holds them, through the page's own storage module.</summary>
    public async Task<List<JsonElement>> PendingRecordsAsync()
    {
        var all = await Page.EvaluateAsync<JsonElement>("async () => (await import('/offline/js/db.js')).pending()");
        return [.. all.EnumerateArray()];
    }

    public async Task<List<string>> PendingIdsAsync() =>
        [.. (await PendingRecordsAsync()).Select(r => r.GetProperty("id").GetString()!).Order()];
}
