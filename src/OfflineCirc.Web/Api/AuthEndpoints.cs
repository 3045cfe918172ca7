using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using OfflineCirc.Core.Model;
using OfflineCirc.Web.Infrastructure;
using OfflineCirc.Web.People;

namespace OfflineCirc.Web.Api;

public static class AuthEndpoints
{
    public record TokenRequest(string? Email, string? Password, string? Name);

    public static void Map(RouteGroupBuilder api)
    {
        // Exchanging a password for a token needs no prior sign-in, and so no anti-forgery token.
        api.MapPost("/auth/token", CreateTokenAsync).AllowAnonymous().DisableAntiforgery();
        api.MapGet("/auth/tokens", ListTokensAsync);
        api.MapDelete("/auth/tokens/{id:long}", RevokeTokenAsync);
        api.MapGet("/antiforgery", (IAntiforgery af, HttpContext http) =>
            Results.Ok(new { token = af.GetAndStoreTokens(http).RequestToken })).RequireAuthorization();
    }

    private static async Task<IResult> CreateTokenAsync(TokenRequest request, UserManager<AppUser> users, SignInManager<AppUser> signIn, ApiTokens tokens, SignInTiming timing)
    {
        if (string.IsNullOrWhiteSpace(request.Email) || string.IsNullOrWhiteSpace(request.Password))
        {
            return Refusals.CredentialsMissing.Result();
        }
        var user = await users.FindByEmailAsync(request.Email.Trim());
        if (user is null)
        {
            timing.CheckAgainstNobody(request.Password);
            return Refusals.CredentialsWrong.Result();
        }
        var check = await signIn.CheckPasswordSignInAsync(user, request.Password, lockoutOnFailure: true);
        if (check.IsLockedOut)
        {
            return Refusals.AccountLockedOut.Result();
        }
        if (!check.Succeeded)
        {
            return Refusals.CredentialsWrong.Result();
        }
        var (token, secret) = await tokens.CreateAsync(user, request.Name ?? "script");
        return Results.Ok(new { token = secret, id = token.Id, name = token.Name, prefix = token.Prefix, createdAt = token.CreatedAt });
    }

    private static async Task<IResult> ListTokensAsync(UserScope scope, ApiTokens tokens, CancellationToken ct) =>
        scope.UserId is { } userId ? Results.Ok(await tokens.ListAsync(userId, ct)) : Results.Unauthorized();

    private static async Task<IResult> RevokeTokenAsync(long id, UserScope scope, ApiTokens tokens, CancellationToken ct)
    {
        if (scope.UserId is not { } userId)
        {
            return Results.Unauthorized();
        }
        return await tokens.RevokeAsync(userId, id, scope.UserName, ct)
            ? Results.NoContent()
            : Refusals.TokenNotFound(id).Result();
    }
}
