namespace OfflineCirc.Core.Model;

public class PatronProfile
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public int PermissionIntervalDays { get; set; }
    public int CheckoutLimit { get; set; }
    public decimal FineThreshold { get; set; }
}

public class Patron
{
    public long Id { get; set; }
    public required string FamilyName { get; set; }
    public required string FirstGivenName { get; set; }
    public DateOnly? Dob { get; set; }
    public string? Email { get; set; }
    public string? DayPhone { get; set; }
    public string? Address { get; set; }
    public int HomeOrgId { get; set; }
    public OrgUnit? HomeOrg { get; set; }
    public int ProfileId { get; set; }
    public PatronProfile? Profile { get; set; }
    public bool Active { get; set; } = true;
    public bool Barred { get; set; }
    public DateOnly? ExpireDate { get; set; }
    public string? Username { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Session that registered this patron offline, if any.</summary>
    public long? OriginSessionId { get; set; }
    public List<Card> Cards { get; set; } = [];
    public List<PatronBlock> Blocks { get; set; } = [];
}

public class Card
{
    public long Id { get; set; }
    public required string Barcode { get; set; }
    public long PatronId { get; set; }
    public Patron? Patron { get; set; }
    public bool Active { get; set; } = true;
    public bool Primary { get; set; }
}

/// <summary>A standing block such as "verify patron information".</summary>
public class PatronBlock
{
    public long Id { get; set; }
    public long PatronId { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
