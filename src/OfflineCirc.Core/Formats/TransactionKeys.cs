using System.Security.Cryptography;
using System.Text;

namespace OfflineCirc.Core.Formats;

/// <summary>A transaction's key as staff and reports see it, and the 16-byte digest the database holds unique.</summary>
public readonly record struct TransactionKey(string Text, Guid Digest);

/// <summary>
/// Transaction keys (docs/transactions.md) and their fixed-width digests (docs/adr-007). A key stays the text staff and reports
/// see; its digest is what the unique index compares, 16 bytes instead of 36 or 64 characters.
/// </summary>
public static class TransactionKeys
{
    /// <summary>The key of a line with an id (already checked to be a UUID): the id in lower case, and its own bytes.</summary>
    public static TransactionKey ForId(string id)
    {
        var uuid = Guid.ParseExact(id, "D");
        return new TransactionKey(uuid.ToString("D"), uuid);
    }

    /// <summary>
    /// The key of a transaction without an id: lowercase hex SHA-256 of the UTF-8 bytes of its canonical content
    /// (JSON, object keys sorted ordinally, no whitespace), a line feed, and the workstation name in upper case.
    /// Upload delta, time zones, line number and file are not part of it, so the same line uploaded again gets the same key.
    /// </summary>
    public static TransactionKey ForContent(string canonicalContent, string workstation)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonicalContent + "\n" + workstation.Trim().ToUpperInvariant()));
        return new TransactionKey(Convert.ToHexStringLower(hash), FirstHalf(hash));
    }

    /// <summary>
    /// The digest of any key text: a lowercase UUID is itself; a content key (64 lowercase hex digits of SHA-256) is its
    /// first half; any other text is the first half of its own SHA-256. <see cref="ForId"/> and <see cref="ForContent"/>
    /// give the same digests, and the database function <c>offline_key_digest</c> follows the same three rules.
    /// </summary>
    public static Guid Digest(string key)
    {
        if (key.Length == 36 && IsLowerHexOrDash(key) && Guid.TryParseExact(key, "D", out var id))
        {
            return id;
        }
        if (key.Length == 64 && IsLowerHexOrDash(key) && !key.Contains('-', StringComparison.Ordinal))
        {
            return Guid.ParseExact(key.AsSpan(0, 32), "N");
        }
        return FirstHalf(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    private static Guid FirstHalf(byte[] hash) => new(hash.AsSpan(0, 16), bigEndian: true);

    private static bool IsLowerHexOrDash(string key)
    {
        foreach (var c in key)
        {
            if (c is not (>= '0' and <= '9' or >= 'a' and <= 'f' or '-'))
            {
                return false;
            }
        }
        return true;
    }
}
