using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using OfflineCirc.Core.Model;

namespace OfflineCirc.Web.Infrastructure;

/// <summary>Makes a sign-in with an unknown email cost what a wrong password costs, so its time does not tell who has an account.</summary>
public sealed class SignInTiming(IPasswordHasher<AppUser> hasher)
{
    private static readonly AppUser Nobody = new() { UserName = "nobody", Email = "nobody@invalid" };

    // Hashed once per process with the app's hasher, so checking against it costs one real verification.
    private static string? _dummyHash;

    /// <summary>Verifies the password against a hash no password matches; the answer is always "wrong".</summary>
    public void CheckAgainstNobody(string? password)
    {
        _dummyHash ??= hasher.HashPassword(Nobody, Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));
        hasher.VerifyHashedPassword(Nobody, _dummyHash, password ?? "");
    }
}
