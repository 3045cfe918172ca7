using System.Security.Cryptography;
using System.Text;

namespace OfflineCirc.Core.Formats;

/// <summary>
/// The fixed-width form of a transaction key that the database holds unique (docs/adr-007). A key stays the text staff
/// and reports see; its digest is what the unique index compares, 16 bytes instead of 36 or 64 characters.
/// </summary>
public static class TransactionKeys
{
    /// <summary>
    /// The key's 16 bytes: a lowercase UUID is itself; a content key (64 lowercase hex digits of SHA-256) is its first
    /// half; any other text is the first half of its own SHA-256. The database function <c>offline_key_digest</c>
    /// follows the same three rules.
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
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        return new Guid(hash[..16], bigEndian: true);
    }

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
