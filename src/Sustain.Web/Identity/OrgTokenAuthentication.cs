using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sustain.Data;

namespace Sustain.Web.Identity;

public sealed class OrgTokenAuthenticationOptions : AuthenticationSchemeOptions;

/// <summary>
/// Bearer organisation tokens for CI: <c>Authorization: Bearer sus_…</c>. Only the SHA-256 of a token
/// is stored, so a token is looked up by its hash; a revoked token authenticates nobody.
/// </summary>
public sealed class OrgTokenAuthenticationHandler(IOptionsMonitor<OrgTokenAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder, SustainDbContext db)
    : AuthenticationHandler<OrgTokenAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "OrgToken";
    public const string TokenPrefix = "sus_";
    public const string OrganisationClaim = "urn:sustain:organisation";
    public const string ScopesClaim = "urn:sustain:scopes";
    public const string TokenIdClaim = "urn:sustain:token";

    /// <summary>A new token: its secret (shown once) and the hash and prefix stored.</summary>
    public static (string Secret, string Hash, string Prefix) NewToken()
    {
        var secret = TokenPrefix + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return (secret, Hash(secret), secret[..12]);
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        var secret = header["Bearer ".Length..].Trim();
        if (!secret.StartsWith(TokenPrefix, StringComparison.Ordinal))
            return AuthenticateResult.Fail("Not a Sustain organisation token.");

        var hash = Hash(secret);
        var token = await db.ApiTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Hash == hash, Context.RequestAborted);
        if (token is null || token.RevokedAt is not null)
            return AuthenticateResult.Fail("The token is unknown or revoked.");

        await db.ApiTokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, TimeProvider.GetUtcNow()), Context.RequestAborted);
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, "token:" + token.Id),
                new Claim(ClaimTypes.Name, token.Name),
                new Claim(OrganisationClaim, token.OrganisationId.ToString()),
                new Claim(ScopesClaim, ((int)token.Scopes).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Claim(TokenIdClaim, token.Id.ToString()),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
