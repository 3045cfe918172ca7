using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;
using OfflineCirc.Web.Audit;
using OfflineCirc.Web.People;

namespace OfflineCirc.Web.Pages.Admin.Users;

[Authorize(Policy = PeopleSetup.AdministratorOrAbove)]
public class EditModel(UserAdmin admin, UserManager<AppUser> users, CircDbContext db, AuditLog audit) : PageModel
{
    public class InputModel
    {
        public string DisplayName { get; set; } = "";
        public int? HomeOrgId { get; set; }
        public List<string> Roles { get; set; } = [];
    }

    public class Validator : AbstractValidator<InputModel>
    {
        public Validator(IReadOnlyList<string> assignableRoles, IReadOnlyCollection<int> reachableOrgIds)
        {
            RuleFor(x => x.DisplayName)
                .NotEmpty().WithMessage("Enter the person's name.")
                .MaximumLength(100).WithMessage("A name has at most 100 characters.");
            RuleFor(x => x.Roles)
                .NotEmpty().WithMessage("Give the person at least one role.");
            RuleForEach(x => x.Roles)
                .Must(assignableRoles.Contains).WithMessage("You cannot give the role '{PropertyValue}'.");
            RuleFor(x => x.HomeOrgId).Cascade(CascadeMode.Stop)
                .NotNull().WithMessage("Choose the person's home library.")
                .Must(id => reachableOrgIds.Contains(id!.Value)).WithMessage("Choose one of your libraries.");
        }
    }

    [BindProperty(SupportsGet = true)]
    public string? Id { get; set; }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public AppUser? Account { get; private set; }

    public bool IsSelf => Account is not null && Account.Id == users.GetUserId(User);

    public bool LockedOut => Account is not null && AccountLock.IsLockedOut(Account.LockoutEnabled, Account.LockoutEnd, DateTimeOffset.UtcNow);

    public IReadOnlyList<string> AssignableRoles => admin.AssignableRoles;

    public IReadOnlyList<OrgOption> Orgs { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }
        Input = new InputModel
        {
            DisplayName = Account!.DisplayName,
            HomeOrgId = Account.HomeOrgId,
            Roles = (await users.GetRolesAsync(Account)).ToList(),
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }
        var user = Account!;
        var check = new Validator(admin.AssignableRoles, Orgs.Select(o => o.Id).ToHashSet()).Validate(Input);
        foreach (var error in check.Errors)
        {
            ModelState.AddModelError($"{nameof(Input)}.{error.PropertyName}", error.ErrorMessage);
        }
        var current = (await users.GetRolesAsync(user)).ToHashSet();
        var wanted = Input.Roles.Distinct().ToHashSet();
        if (IsSelf && (!current.SetEquals(wanted) || Input.HomeOrgId != user.HomeOrgId))
        {
            // Nobody widens or loses their own rights by accident; another administrator does it.
            ModelState.AddModelError("", "You cannot change your own roles or home library; ask another administrator.");
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var changes = new List<string>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var name = Input.DisplayName.Trim();
        if (name != user.DisplayName)
        {
            changes.Add($"name '{user.DisplayName}' -> '{name}'");
            user.DisplayName = name;
        }
        if (Input.HomeOrgId != user.HomeOrgId)
        {
            var from = Orgs.SingleOrDefault(o => o.Id == user.HomeOrgId)?.ShortName ?? user.HomeOrgId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var to = Orgs.Single(o => o.Id == Input.HomeOrgId);
            changes.Add($"home {from} -> {to.ShortName}");
            user.HomeOrgId = to.Id;
        }
        var removed = current.Except(wanted).ToList();
        var added = wanted.Except(current).ToList();
        if (removed.Count > 0)
        {
            Ensure(await users.RemoveFromRolesAsync(user, removed));
            changes.Add("roles removed: " + string.Join(", ", removed));
        }
        if (added.Count > 0)
        {
            Ensure(await users.AddToRolesAsync(user, added));
            changes.Add("roles added: " + string.Join(", ", added));
        }
        if (changes.Count == 0)
        {
            TempData["Message"] = $"Nothing changed for {user.Email}.";
            return RedirectToPage("Index");
        }
        // Open sign-ins and tokens end at once: the person signs in again with the new rights.
        if (await admin.EndSignInsAsync(user, ct) is var revoked and > 0)
        {
            changes.Add($"{revoked} access token(s) revoked");
        }
        audit.Add("user.updated", target: $"user {user.Email}", detail: string.Join("; ", changes), orgUnitId: user.HomeOrgId);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        TempData["Message"] = $"{user.Email} updated.";
        return RedirectToPage("Index");
    }

    public async Task<IActionResult> OnPostUnlockAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }
        var user = Account!;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        Ensure(await users.SetLockoutEndDateAsync(user, null));
        Ensure(await users.ResetAccessFailedCountAsync(user));
        audit.Add("user.updated", target: $"user {user.Email}", detail: "unlocked", orgUnitId: user.HomeOrgId);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        TempData["Message"] = $"{user.Email} is unlocked and can sign in again.";
        return RedirectToPage("Index");
    }

    public async Task<IActionResult> OnPostLockAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }
        var user = Account!;
        if (IsSelf)
        {
            TempData["Message"] = "You cannot lock your own account; ask another administrator.";
            return RedirectToPage("Index");
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        Ensure(await users.SetLockoutEnabledAsync(user, true));
        Ensure(await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue));
        var revoked = await admin.EndSignInsAsync(user, ct);
        audit.Add("user.updated", target: $"user {user.Email}", detail: $"locked; signed out everywhere, {revoked} access token(s) revoked", orgUnitId: user.HomeOrgId);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        TempData["Message"] = $"{user.Email} is locked and signed out everywhere.";
        return RedirectToPage("Index");
    }

    [BindProperty]
    public string? NewPassword { get; set; }

    public async Task<IActionResult> OnPostPasswordAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }
        var user = Account!;
        Input = new InputModel { DisplayName = user.DisplayName, HomeOrgId = user.HomeOrgId, Roles = (await users.GetRolesAsync(user)).ToList() };
        if (string.IsNullOrWhiteSpace(NewPassword))
        {
            ModelState.AddModelError(nameof(NewPassword), "Enter the new password.");
            return Page();
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var reset = await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), NewPassword);
        if (!reset.Succeeded)
        {
            foreach (var error in reset.Errors)
            {
                ModelState.AddModelError(nameof(NewPassword), error.Description);
            }
            return Page();
        }
        var revoked = await admin.EndSignInsAsync(user, ct);
        audit.Add("user.updated", target: $"user {user.Email}", detail: $"password set; signed out everywhere, {revoked} access token(s) revoked", orgUnitId: user.HomeOrgId);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        TempData["Message"] = $"{user.Email} has a new password and is signed out everywhere.";
        return RedirectToPage("Index");
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        Account = await admin.FindManageableAsync(Id, ct);
        if (Account is null)
        {
            return false;
        }
        Orgs = await admin.OrgOptionsAsync(ct);
        return true;
    }

    private static void Ensure(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
