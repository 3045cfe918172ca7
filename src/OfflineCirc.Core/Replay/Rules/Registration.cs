using System.Globalization;
using System.Text.Json;

namespace OfflineCirc.Core.Replay.Rules;

/// <summary>The new patron of a registration, read from the captured <c>user</c> object.</summary>
internal sealed record NewPatronForm(
    string? Card, string? FirstGivenName, string? FamilyName, string? Profile, string? HomeOu, DateOnly? Dob,
    string? Email, string? DayPhone, string? Username, string? Address)
{
    private static readonly string[] AddressFields = ["street1", "street2", "city", "county", "state", "post_code", "country"];

    public static NewPatronForm Read(string? payload)
    {
        if (string.IsNullOrWhiteSpace(payload))
        {
            return new(null, null, null, null, null, null, null, null, null, null);
        }
        using var doc = JsonDocument.Parse(payload);
        var root = doc.RootElement;
        var user = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("user", out var u) && u.ValueKind == JsonValueKind.Object ? u : root;
        string? Text(string name) =>
            user.ValueKind == JsonValueKind.Object && user.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.String or JsonValueKind.Number
                ? (v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())?.Trim() is { Length: > 0 } t ? t : null
                : null;
        var dobText = Text("dob");
        DateOnly? dob = dobText is not null && DateOnly.TryParse(dobText.Length >= 10 ? dobText[..10] : dobText, CultureInfo.InvariantCulture, out var d) ? d : null;
        var address = string.Join(", ", AddressFields.Select(Text).Where(x => x is not null));
        return new(Text("card"), Text("first_given_name"), Text("family_name"), Text("profile"), Text("home_ou"), dob,
            Text("email"), Text("day_phone"), Text("usrname") ?? Text("username"), address.Length > 0 ? address : null);
    }
}

/// <summary>Patron registration (DESIGN 6.5).</summary>
internal static class Registration
{
    public const string VerifyBlock = "verify patron information";

    public static Outcome Apply(TxRow tx, ReplayState s, RunContext ctx)
    {
        var o = new Outcome();
        var (orgId, _) = ctx.Place(tx);
        NewPatronForm form;
        try
        {
            form = NewPatronForm.Read(tx.Payload);
        }
        catch (JsonException)
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
        if (form.Username is not null && s.PatronIdsByUsername.ContainsKey(form.Username))
        {
            return o.Fail($"Username '{form.Username}' is taken.", ResultCodes.UsernameExists);
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

        var duplicate = s.Identities.FirstOrDefault(p => IsSamePerson(p, form));
        if (duplicate is not null)
        {
            o.Warn(ResultCodes.PossibleDuplicatePatron);
            o.FollowUp(FollowUpKinds.PossibleDuplicatePatron);
        }
        var at = tx.EffectiveAt;
        var expires = ctx.Calendar(homeOrgId).LocalDateOf(at).PlusDays(profile.PermissionIntervalDays).ToDateOnly();
        var patronId = s.Ids.Next(IdTables.Patrons);
        s.NewPatrons.Add(new NewPatron(patronId, form.FamilyName, form.FirstGivenName, form.Dob, form.Email, form.DayPhone,
            form.Address, homeOrgId, profile.Id, expires, form.Username, at, ctx.SessionId));
        var card = new CardRow { Id = s.Ids.Next(IdTables.Cards), Barcode = form.Card, PatronId = patronId, Active = true, IsNew = true };
        s.NewCards.Add(card);
        s.CardsByBarcode[card.Barcode] = card;
        if (form.Username is not null)
        {
            s.PatronIdsByUsername[form.Username] = patronId;
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
        s.Identities.Add(new PatronIdentity(patronId, form.FamilyName, form.FirstGivenName, form.Dob, form.Email));
        o.PatronId = patronId;
        var similar = duplicate is null ? "" : $" Similar to existing patron #{duplicate.Id}.";
        return o.Done($"Registered {form.FirstGivenName} {form.FamilyName}, card {form.Card}, expires {expires:yyyy-MM-dd}.{similar}");
    }

    private static bool IsSamePerson(PatronIdentity p, NewPatronForm f) =>
        (f.Dob is not null && p.Dob == f.Dob && Same(p.FamilyName, f.FamilyName) && Same(p.FirstGivenName, f.FirstGivenName))
        || (f.Email is not null && Same(p.Email, f.Email));

    private static bool Same(string? a, string? b) =>
        a is not null && b is not null && string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
}
