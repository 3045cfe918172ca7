using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OfflineCirc.Core.Model;
using OfflineCirc.Web.Infrastructure;

namespace OfflineCirc.Web.Pages.Account;

public class LoginModel(SignInManager<AppUser> signIn, UserManager<AppUser> users, SignInTiming timing) : PageModel
{
    public class InputModel
    {
        public string Email { get; set; } = "";
        public string Password { get; set; } = "";
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = string.IsNullOrWhiteSpace(Input.Email) ? null : await users.FindByEmailAsync(Input.Email.Trim());
        if (user is null)
        {
            timing.CheckAgainstNobody(Input.Password);
            ModelState.AddModelError("", Refusals.CredentialsWrong.Sentence);
            return Page();
        }
        var result = await signIn.PasswordSignInAsync(user, Input.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            ModelState.AddModelError("", "This account is locked after too many failed sign-ins. Try again in 15 minutes or ask an administrator.");
            return Page();
        }
        if (!result.Succeeded)
        {
            ModelState.AddModelError("", Refusals.CredentialsWrong.Sentence);
            return Page();
        }
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
