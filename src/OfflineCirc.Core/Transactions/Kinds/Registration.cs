using System.Text.Json;
using FluentValidation;
using OfflineCirc.Core.Formats;
using OfflineCirc.Core.Replay;
using OfflineCirc.Core.Replay.Rules;

namespace OfflineCirc.Core.Transactions.Kinds;

/// <summary>Patron registration (docs/replay-rules.md).</summary>
public sealed class Registration : TransactionKind
{
    public const string Code = "register";
    public const string VerifyBlock = "verify patron information";

    public override string Name => Code;

    internal override IValidator<TransactionCandidate> Validator { get; } = new LineRules();

    public override bool HasParsedPayload => true;

    public override bool ReplaysFirst => true;

    internal override string? Parsed(TransactionCandidate line) => line.User?.ToJson();

    internal override void ReadParsed(TxRow tx, string? parsed, string? payload)
    {
        try
        {
            tx.NewPatron = parsed is not null ? RegisteredPatron.FromJson(parsed) : RegisteredPatron.FromPayload(payload);
        }
        catch (JsonException)
        {
            tx.NewPatron = null;
        }
    }

    internal override void Needs(TxRow tx, BatchNeeds needs)
    {
        base.Needs(tx, needs);
        if (tx.NewPatron is { } patron)
        {
            needs.Registration(patron);
        }
    }

    internal override void Reserve(TxRow tx, IdNeeds ids)
    {
        ids.Add(IdTables.Patrons);
        ids.Add(IdTables.Cards);
        ids.Add(IdTables.PatronBlocks);
    }

    private sealed class LineRules : AbstractValidator<TransactionCandidate>
    {
        public LineRules()
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

    internal override Outcome Apply(TxRow tx, ReplayState s, RunContext ctx)
    {
        var o = new Outcome();
        var (orgId, _) = ctx.Place(tx);
        if (tx.NewPatron is not { } form)
        {
            return o.Fail("The registration could not be read.");
        }
        if (form.Card is null || form.FamilyName is null || form.FirstGivenName is null)
        {
            return o.Fail("The registration lacks a card barcode, family name or given name.");
        }
        if (s.Card(form.Card) is not null)
        {
            return o.Fail($"Card '{form.Card}' already belongs to a patron.", ResultCodes.PatronBarcodeExists);
        }
        if (form.Usrname is not null && s.PatronIdsByUsername.ContainsKey(form.Usrname))
        {
            return o.Fail($"Username '{form.Usrname}' is taken.", ResultCodes.UsernameExists);
        }
        var profile = form.Profile is null ? null
            : ctx.ProfilesByName.GetValueOrDefault(form.Profile)
              ?? (int.TryParse(form.Profile, out var pid) ? ctx.Profiles.GetValueOrDefault(pid) : null);
        if (profile is null)
        {
            return o.Fail($"Unknown patron profile '{form.Profile}'.");
        }
        var homeOrg = ctx.OrgByShortName(form.HomeOu)
            ?? (int.TryParse(form.HomeOu, out var oid) ? ctx.Org(oid) : null)
            ?? ctx.Org(orgId);
        var homeOrgId = homeOrg?.Id ?? orgId;

        var birth = form.BirthDate;
        var duplicate = s.Identities.FindSame(form.FamilyName, form.FirstGivenName, birth, form.Email);
        if (duplicate is not null)
        {
            o.Warn(ResultCodes.PossibleDuplicatePatron);
            o.FollowUp(FollowUpKinds.PossibleDuplicatePatron);
        }
        var at = tx.EffectiveAt;
        var expires = ctx.Calendar(homeOrgId).LocalDateOf(at).PlusDays(profile.PermissionIntervalDays).ToDateOnly();
        var patronId = s.Ids.Next(IdTables.Patrons);
        s.NewPatrons.Add(new NewPatron(patronId, form.FamilyName, form.FirstGivenName, birth, form.Email, form.DayPhone,
            form.Address, homeOrgId, profile.Id, expires, form.Usrname, at, ctx.SessionId));
        var card = new CardRow { Id = s.Ids.Next(IdTables.Cards), Barcode = form.Card, PatronId = patronId, Active = true, IsNew = true };
        s.NewCards.Add(card);
        s.CardsByBarcode[card.Barcode] = card;
        if (form.Usrname is not null)
        {
            s.PatronIdsByUsername[form.Usrname] = patronId;
        }
        s.NewBlocks.Add(new NewBlock(s.Ids.Next(IdTables.PatronBlocks), patronId, VerifyBlock, at));
        s.Patrons[patronId] = new PatronRow
        {
            Id = patronId,
            ProfileId = profile.Id,
            HomeOrgId = homeOrgId,
            Active = true,
            ExpireDate = expires,
            BlockCount = 1,
            OpenBillings = [],
        };
        s.Identities.Add(new PatronIdentity(patronId, form.FamilyName, form.FirstGivenName, birth, form.Email));
        o.PatronId = patronId;
        var similar = duplicate is null ? "" : $" Similar to existing patron #{duplicate.Id}.";
        return o.Done($"Registered {form.FirstGivenName} {form.FamilyName}, card {form.Card}, expires {expires:yyyy-MM-dd}.{similar}");
    }
}
