using FluentValidation;
using OfflineCirc.Web.Infrastructure;

namespace OfflineCirc.Web.Sessions;

/// <summary>Opening a session for a library: what the sessions page's form and POST /api/sessions both send.</summary>
public sealed record CreateSession(string? Org, string? Description)
{
    public const int DescriptionMaxLength = 200;

    public static readonly Validator Rules = new();

    /// <summary>The same limits behind the page and the API; the service checks them whoever calls it.</summary>
    public sealed class Validator : AbstractValidator<CreateSession>
    {
        public Validator()
        {
            RuleFor(x => x.Org).NotEmpty().WithMessage("Choose the library the session is for.");
            RuleFor(x => x.Description).NotEmpty().WithMessage("Describe the session, e.g. the outage's date.")
                .MaximumLength(DescriptionMaxLength).WithMessage($"Keep the description under {DescriptionMaxLength} characters.");
        }
    }

    /// <summary>The sentences of every broken rule as one refusal, or null when the command may run.</summary>
    public Refusal? Check()
    {
        var result = Rules.Validate(this);
        return result.IsValid ? null : new Refusal(StatusCodes.Status400BadRequest, string.Join(" ", result.Errors.Select(e => e.ErrorMessage)));
    }
}
