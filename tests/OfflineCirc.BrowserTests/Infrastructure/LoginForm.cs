using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace OfflineCirc.BrowserTests.Infrastructure;

/// <summary>The portal's sign-in form, filled in and sent as a person does.</summary>
public static class LoginForm
{
    /// <summary>
    /// Signs in and waits until the browser is at <paramref name="returnUrl"/>. It watches the address, not the page's
    /// load event: on a machine just started, the load event of the page the sign-in redirected to was once never
    /// reported, though that page had loaded. The first sign-in also meets a cold app, hence the long wait.
    /// </summary>
    public static async Task SignInAsync(IPage page, string email, string password, string returnUrl)
    {
        await page.GotoAsync("/Account/Login?returnUrl=" + Uri.EscapeDataString(returnUrl));
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        var landed = new Regex("^https?://[^/]+" + Regex.Escape(returnUrl) + "$");
        await Assertions.Expect(page).ToHaveURLAsync(landed, new() { Timeout = 90_000 });
    }
}
