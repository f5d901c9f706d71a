using Microsoft.EntityFrameworkCore;
using Sustain.Data;
using Sustain.Data.Organisations;
using Sustain.Web.Identity;

namespace Sustain.Web.Organisations;

/// <summary>An organisation's API tokens for CI. The secret exists only in the answer to <see cref="CreateAsync"/>.</summary>
public sealed class ApiTokenService(IDbContextFactory<SustainDbContext> contexts, TimeProvider clock)
{
    public const int MaxNameLength = 100;

    public async Task<(string? Secret, ApiToken? Token, string? Error)> CreateAsync(OrgAccess actor, string? name, ApiTokenScopes scopes, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        name = name?.Trim() ?? "";
        if (name.Length == 0)
            return (null, null, "Give the token a name that says where it is used, for example \"GitHub Actions\".");
        if (name.Length > MaxNameLength)
            return (null, null, $"The name is {name.Length} characters; the most is {MaxNameLength}.");
        if (scopes == ApiTokenScopes.None || (scopes & ~(ApiTokenScopes.SbomsWrite | ApiTokenScopes.SbomsRead)) != 0)
            return (null, null, "Choose what the token may do: upload SBOMs, read them, or both.");

        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var role = await MembershipService.RoleOfAsync(db, actor, cancellation);
        if (role is not (OrganisationRole.Owner or OrganisationRole.Admin))
            return (null, null, "Only owners and admins can create API tokens.");

        var (secret, hash, prefix) = OrgTokenAuthenticationHandler.NewToken();
        var token = new ApiToken
        {
            OrganisationId = actor.Organisation.Id,
            Name = name,
            Prefix = prefix,
            Hash = hash,
            Scopes = scopes,
            CreatedByUserId = actor.UserId!,
            CreatedAt = clock.GetUtcNow(),
        };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(cancellation);
        return (secret, token, null);
    }

    /// <summary>Every token of the organisation, live ones first, newest first.</summary>
    public async Task<List<ApiToken>> ListAsync(Guid organisationId, CancellationToken cancellation = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var tokens = await db.ApiTokens.AsNoTracking().Where(t => t.OrganisationId == organisationId).OrderByDescending(t => t.CreatedAt).ToListAsync(cancellation);
        return tokens.OrderBy(t => t.RevokedAt is not null).ToList();
    }

    /// <summary>Revokes a token at once: the next request with it is refused. Returns why it was refused, or null when done.</summary>
    public async Task<string?> RevokeAsync(OrgAccess actor, Guid tokenId, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var role = await MembershipService.RoleOfAsync(db, actor, cancellation);
        if (role is not (OrganisationRole.Owner or OrganisationRole.Admin))
            return "Only owners and admins can revoke API tokens.";
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == tokenId && t.OrganisationId == actor.Organisation.Id, cancellation);
        if (token is null)
            return "That token does not exist.";
        token.RevokedAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(cancellation);
        return null;
    }
}
