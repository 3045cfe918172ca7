using FluentValidation;

namespace OfflineCirc.Core.Formats;

/// <summary>Rules every transaction type shares: identity, timestamp and clock correction.</summary>
public sealed class CommonTransactionRules : AbstractValidator<TransactionCandidate>
{
    /// <summary>Clock corrections beyond a year are mistakes, not clock drift.</summary>
    public const int MaxDeltaSeconds = 366 * 24 * 3600;

    public CommonTransactionRules()
    {
        RuleFor(c => c.Id).Must(id => Guid.TryParseExact(id, "D", out _))
            .When(c => c.Id is not null).WithMessage("invalid id (not a UUID)");
        RuleFor(c => c.Timestamp).Must(t => t.Given).WithMessage("missing timestamp");
        RuleFor(c => c.Timestamp).Must(t => t.Value is not null)
            .When(c => c.Timestamp.Given).WithMessage("timestamp is not a date");
        RuleFor(c => c.Delta).Must(d => d.Value is not null)
            .When(c => c.Delta.Given).WithMessage("delta is not a number of seconds");
        RuleFor(c => c.Delta).Must(d => Math.Abs(d.Value!.Value) <= MaxDeltaSeconds)
            .When(c => c.Delta.Value is not null).WithMessage("delta is more than a year");
    }
}

/// <summary>Shared rules for the loan types (checkout, renew): captured due date and loan start.</summary>
public abstract class LoanRules : AbstractValidator<TransactionCandidate>
{
    protected LoanRules(string type)
    {
        Include(new CommonTransactionRules());
        RuleFor(c => c.CheckoutTime).Must(t => t.Value is not null)
            .When(c => c.CheckoutTime.Given).WithMessage("checkout_time is not a date");
        RuleFor(c => c.DueDateText).Must((c, _) => c.DueDate is not null)
            .When(c => c.DueDateText is not null).WithMessage("due_date is not a date");
        RuleFor(c => c.DueEnd).Must((c, due) => due >= (c.CheckoutTime.Value ?? c.Timestamp.Value))
            .When(c => c.DueEnd is not null && (c.CheckoutTime.Value ?? c.Timestamp.Value) is not null)
            .WithMessage(c => c.CheckoutTime.Value is not null
                ? "due_date before checkout_time"
                : "due_date before timestamp");
        RuleFor(c => c.ItemBarcode).NotNull()
            .When(c => !c.IsNoncat).WithMessage(type == TransactionTypes.Checkout
                ? "checkout without barcode or noncat_type"
                : $"{type} without barcode");
    }
}

public sealed class CheckoutValidator : LoanRules
{
    public CheckoutValidator()
        : base(TransactionTypes.Checkout)
    {
        RuleFor(c => c.PatronBarcode).NotNull().WithMessage("checkout without patron_barcode");
        RuleFor(c => c.ItemBarcode).Null()
            .When(c => c.IsNoncat).WithMessage("checkout with both barcode and noncat_type");
        RuleFor(c => c.NoncatCount).Must(n => n.IsWholeNumber && n.Value is >= 1 and <= 100)
            .When(c => c.IsNoncat && c.NoncatCount.Given).WithMessage("noncat_count must be 1-100");
    }
}

public sealed class RenewValidator : LoanRules
{
    public RenewValidator()
        : base(TransactionTypes.Renew)
    {
        RuleFor(c => c.NoncatType).Null().WithMessage("renew of a non-catalogued item (renew needs a barcode)");
    }
}

public sealed class CheckinValidator : AbstractValidator<TransactionCandidate>
{
    public CheckinValidator()
    {
        Include(new CommonTransactionRules());
        RuleFor(c => c.ItemBarcode).NotNull().WithMessage("checkin without barcode");
        RuleFor(c => c.Backdate).Must(t => t.Value is not null)
            .When(c => c.Backdate.Given).WithMessage("backdate is not a date");
    }
}

public sealed class InHouseUseValidator : AbstractValidator<TransactionCandidate>
{
    public InHouseUseValidator()
    {
        Include(new CommonTransactionRules());
        RuleFor(c => c.ItemBarcode).NotNull().WithMessage("in_house_use without barcode");
        RuleFor(c => c.Count).Must(n => n.IsWholeNumber && n.Value is >= 1 and <= 100)
            .When(c => c.Count.Given).WithMessage("count must be 1-100");
        RuleFor(c => c.UseTime).Must(t => t.Value is not null)
            .When(c => c.UseTime.Given).WithMessage("use_time is not a date");
    }
}

public sealed class RegisterValidator : AbstractValidator<TransactionCandidate>
{
    public RegisterValidator()
    {
        Include(new CommonTransactionRules());
        RuleFor(c => c.UserGiven).Equal(true).WithMessage("register without user");
        When(c => c.User is not null, () =>
        {
            RuleFor(c => c.User!.Card).NotNull().WithMessage("register without user.card");
            RuleFor(c => c.User!.FamilyName).NotNull().WithMessage("register without user.family_name");
            RuleFor(c => c.User!.FirstGivenName).NotNull().WithMessage("register without user.first_given_name");
            RuleFor(c => c.User!.Profile).NotNull().WithMessage("register without user.profile");
            RuleFor(c => c.User!.HomeOu).NotNull().WithMessage("register without user.home_ou");
            RuleFor(c => c.User!.Dob).Must(d => OfflineDate.TryParse(d, out _))
                .When(c => c.User!.Dob is not null).WithMessage("user.dob is not a date");
        });
    }
}

public sealed class PaymentValidator : AbstractValidator<TransactionCandidate>
{
    public PaymentValidator()
    {
        Include(new CommonTransactionRules());
        RuleFor(c => c.PatronBarcode).NotNull().WithMessage("payment without patron_barcode");
        RuleFor(c => c.Amount).Must(a => a.Given).WithMessage("payment without amount");
        RuleFor(c => c.Amount).Must(a => a.Value is not null)
            .When(c => c.Amount.Given).WithMessage("payment amount is not a number");
        RuleFor(c => c.Amount).Must(a => a.Value > 0)
            .When(c => c.Amount.Value is not null).WithMessage("payment amount must be more than 0");
        RuleFor(c => c.Amount).Must(a => a.Value <= 1_000_000m)
            .When(c => c.Amount.Value is not null).WithMessage("payment amount is too large");
        RuleFor(c => c.Amount).Must(a => a.Value == decimal.Round(a.Value!.Value, 2))
            .When(c => c.Amount.Value is not null).WithMessage("payment amount has more than 2 decimals");
    }
}

/// <summary>Picks the validator for a candidate's type and gathers every reason it is refused.</summary>
public static class TransactionValidators
{
    private static readonly CommonTransactionRules Common = new();

    private static readonly Dictionary<string, IValidator<TransactionCandidate>> ByType = new(StringComparer.Ordinal)
    {
        [TransactionTypes.Checkout] = new CheckoutValidator(),
        [TransactionTypes.Renew] = new RenewValidator(),
        [TransactionTypes.Checkin] = new CheckinValidator(),
        [TransactionTypes.InHouseUse] = new InHouseUseValidator(),
        [TransactionTypes.Register] = new RegisterValidator(),
        [TransactionTypes.Payment] = new PaymentValidator(),
    };

    /// <summary>Every reason the candidate cannot be stored, in a stable order; empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(TransactionCandidate candidate)
    {
        var reasons = new List<string>(candidate.Problems);
        IValidator<TransactionCandidate> validator;
        if (candidate.Type is null)
        {
            reasons.Insert(0, "missing type");
            validator = Common;
        }
        else if (!ByType.TryGetValue(candidate.Type, out validator!))
        {
            reasons.Insert(0, $"unknown type '{Reasons.Clip(candidate.Type)}'");
            validator = Common;
        }
        foreach (var failure in validator.Validate(candidate).Errors)
        {
            if (!reasons.Contains(failure.ErrorMessage))
            {
                reasons.Add(failure.ErrorMessage);
            }
        }
        return reasons;
    }
}
