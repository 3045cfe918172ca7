using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OfflineCirc.Core.Model;
using OfflineCirc.Web.Lookup;
using OfflineCirc.Web.People;

namespace OfflineCirc.Web.Pages.Account;

/// <summary>The signed-in person's personal access tokens for scripts.</summary>
public class TokensModel(UserManager<AppUser> users, ApiTokens tokens, UserScope scope) : PageModel
{
    public class InputModel
    {
        public string Name { get; set; } = "";
    }

    public class Validator : AbstractValidator<InputModel>
    {
        public Validator()
        {
            RuleFor(x => x.Name)
                .NotEmpty().WithMessage("Name the token after the script or machine that will use it.")
                .MaximumLength(ApiTokens.MaxNameLength).WithMessage($"A token name has at most {ApiTokens.MaxNameLength} characters.");
        }
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public IReadOnlyList<TokenSummary> Tokens { get; private set; } = [];

    /// <summary>The secret of a token just made: shown in this one response, never stored or put in a URL.</summary>
    public string? NewSecret { get; private set; }

    public string? NewName { get; private set; }

    public NodaTime.DateTimeZone Zone { get; private set; } = NodaTime.DateTimeZone.Utc;

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }
        var check = new Validator().Validate(Input);
        if (!check.IsValid)
        {
            foreach (var error in check.Errors)
            {
                ModelState.AddModelError($"{nameof(Input)}.{error.PropertyName}", error.ErrorMessage);
            }
            await LoadAsync(ct);
            return Page();
        }
        var (token, secret) = await tokens.CreateAsync(user, Input.Name, ct);
        NewSecret = secret;
        NewName = token.Name;
        Input = new();
        ModelState.Clear();
        await LoadAsync(ct);
        // The secret is in this page only: keep it out of caches.
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id, CancellationToken ct)
    {
        var userId = users.GetUserId(User);
        if (userId is null)
        {
            return Challenge();
        }
        Message = await tokens.RevokeAsync(userId, id, User.Identity?.Name ?? userId, ct)
            ? "The token is revoked: scripts using it are refused from now on."
            : "That token was not found.";
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var userId = users.GetUserId(User);
        Tokens = userId is null ? [] : await tokens.ListAsync(userId, ct);
        Zone = TimeDisplay.Zone((await scope.HomeAsync(ct))?.TimeZone);
    }
}
