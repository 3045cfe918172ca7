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
public class CreateModel(UserAdmin admin, UserManager<AppUser> users, CircDbContext db, AuditLog audit) : PageModel
{
    public class InputModel
    {
        public string Email { get; set; } = "";
        public string DisplayName { get; set; } = "";
        public string Password { get; set; } = "";
        public string Role { get; set; } = Roles.Staff;
        public int? HomeOrgId { get; set; }
    }

    /// <summary>Checks a new account against what this administrator may grant.</summary>
    public class Validator : AbstractValidator<InputModel>
    {
        public Validator(IReadOnlyList<string> assignableRoles, IReadOnlyCollection<int> reachableOrgIds)
        {
            RuleFor(x => x.Email).Cascade(CascadeMode.Stop)
                .NotEmpty().WithMessage("Enter the person's email address.")
                .MaximumLength(256).WithMessage("An email address has at most 256 characters.")
                .EmailAddress().WithMessage("Enter a valid email address.");
            RuleFor(x => x.DisplayName)
                .NotEmpty().WithMessage("Enter the person's name.")
                .MaximumLength(100).WithMessage("A name has at most 100 characters.");
            RuleFor(x => x.Password).NotEmpty().WithMessage("Enter a first password for the account.");
            RuleFor(x => x.Role)
                .Must(assignableRoles.Contains).WithMessage("You cannot give that role.");
            RuleFor(x => x.HomeOrgId).Cascade(CascadeMode.Stop)
                .NotNull().WithMessage("Choose the person's home library.")
                .Must(id => reachableOrgIds.Contains(id!.Value)).WithMessage("Choose one of your libraries.");
        }
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public IReadOnlyList<string> AssignableRoles => admin.AssignableRoles;

    public IReadOnlyList<OrgOption> Orgs { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Orgs = await admin.OrgOptionsAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Orgs = await admin.OrgOptionsAsync(ct);
        var check = new Validator(admin.AssignableRoles, Orgs.Select(o => o.Id).ToHashSet()).Validate(Input);
        foreach (var error in check.Errors)
        {
            ModelState.AddModelError($"{nameof(Input)}.{error.PropertyName}", error.ErrorMessage);
        }
        if (!check.IsValid)
        {
            return Page();
        }
        var email = Input.Email.Trim();
        var user = new AppUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = Input.DisplayName.Trim(),
            HomeOrgId = Input.HomeOrgId!.Value,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var created = await users.CreateAsync(user, Input.Password);
        if (!created.Succeeded)
        {
            foreach (var error in created.Errors)
            {
                ModelState.AddModelError(error.Code.Contains("Password", StringComparison.Ordinal) ? "Input.Password" : "", error.Description);
            }
            return Page();
        }
        var role = await users.AddToRoleAsync(user, Input.Role);
        if (!role.Succeeded)
        {
            throw new InvalidOperationException("The role could not be given: " + string.Join(" ", role.Errors.Select(e => e.Description)));
        }
        var org = Orgs.Single(o => o.Id == user.HomeOrgId);
        audit.Add("user.created", target: $"user {email}", detail: $"role {Input.Role}; home {org.ShortName}", orgUnitId: user.HomeOrgId);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        TempData["Message"] = $"{email} can now sign in as {Input.Role} of {org.ShortName}.";
        return RedirectToPage("Index");
    }
}
