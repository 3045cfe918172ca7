using FluentValidation;

namespace OfflineCirc.Web.Import;

/// <summary>Cell rules shared by the validators, each saying what is wrong in words a librarian uses.</summary>
public static class ImportRules
{
    public static IRuleBuilderOptions<T, string?> Required<T>(this IRuleBuilder<T, string?> rule, string column) =>
        rule.NotEmpty().WithMessage($"{column} is empty");

    public static IRuleBuilderOptions<T, string?> Code<T>(this IRuleBuilder<T, string?> rule, string column, int max = 64) =>
        rule.Must(v => v is null || (v.Length <= max && !v.Any(char.IsControl)))
            .WithMessage((_, v) => $"{column} {Values.Quote(v)} is longer than {max} characters or has control characters");

    public static IRuleBuilderOptions<T, string?> Bool<T>(this IRuleBuilder<T, string?> rule, string column) =>
        rule.Must(Values.IsBool).WithMessage((_, v) => $"{column} {Values.Quote(v)} is not true or false");

    public static IRuleBuilderOptions<T, string?> Int<T>(this IRuleBuilder<T, string?> rule, string column, int min = 0) =>
        rule.Must(v => Values.IsInt(v, min)).WithMessage((_, v) => $"{column} {Values.Quote(v)} is not a whole number of at least {min}");

    public static IRuleBuilderOptions<T, string?> Id<T>(this IRuleBuilder<T, string?> rule, string column) =>
        rule.Must(Values.IsLong).WithMessage((_, v) => $"{column} {Values.Quote(v)} is not a positive whole number");

    public static IRuleBuilderOptions<T, string?> Money<T>(this IRuleBuilder<T, string?> rule, string column, bool positive = false) =>
        rule.Must(v => Values.IsMoney(v, positive))
            .WithMessage((_, v) => $"{column} {Values.Quote(v)} is not an amount like 12.50{(positive ? " above 0" : "")}");

    public static IRuleBuilderOptions<T, string?> Date<T>(this IRuleBuilder<T, string?> rule, string column) =>
        rule.Must(Values.IsDate).WithMessage((_, v) => $"{column} {Values.Quote(v)} is not a date like 2026-03-05");

    public static IRuleBuilderOptions<T, string?> Time<T>(this IRuleBuilder<T, string?> rule, string column) =>
        rule.Must(Values.IsTime)
            .WithMessage((_, v) => $"{column} {Values.Quote(v)} is not an ISO 8601 time like 2026-03-05T14:30:00-05:00");

    public static IRuleBuilderOptions<T, string?> Duration<T>(this IRuleBuilder<T, string?> rule, string column, bool positive = true) =>
        rule.Must(v => Values.IsDuration(v, positive))
            .WithMessage((_, v) => $"{column} {Values.Quote(v)} is not a duration like '14 days' or '4 hours'{(positive ? " above 0" : "")}");

    /// <summary>The usual validator setup: stop at the first failure of each cell.</summary>
    public static void StopEachCellAtFirstError<T>(this AbstractValidator<T> validator) =>
        validator.RuleLevelCascadeMode = CascadeMode.Stop;
}
