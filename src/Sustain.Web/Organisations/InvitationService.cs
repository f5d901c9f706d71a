using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Sustain.Data;
using Sustain.Data.Organisations;

namespace Sustain.Web.Organisations;

public enum InvitationState
{
    Unknown,
    Pending,
    Expired,
    Revoked,
    Accepted,
}

/// <summary>What an invitation link leads to. For an unknown link only <see cref="State"/> is set.</summary>
public sealed record InvitationLookup(InvitationState State, string? OrganisationName, string? OrganisationSlug, OrganisationRole Role, DateTimeOffset? ExpiresAt, string? AcceptedByUserId)
{
    public static readonly InvitationLookup Unknown = new(InvitationState.Unknown, null, null, OrganisationRole.Member, null, null);

    /// <summary>Why the link cannot be used, in words for the person holding it; null when it can.</summary>
    public string? Problem => State switch
    {
        InvitationState.Unknown => "This invitation link is not valid. Check that you copied the whole link, or ask for a new one.",
        InvitationState.Expired => $"This invitation to {OrganisationName} expired on {ExpiresAt:d MMMM yyyy}. Ask an owner or admin of {OrganisationName} for a new link.",
        InvitationState.Revoked => $"This invitation to {OrganisationName} was withdrawn. Ask an owner or admin of {OrganisationName} for a new link.",
        InvitationState.Accepted => $"This invitation to {OrganisationName} has already been used. Each link admits one person; ask for a new one.",
        _ => null,
    };
}

public sealed record InvitationAcceptance(InvitationLookup Invitation, bool Succeeded, bool AlreadyMember)
{
    public string? Error => Succeeded ? null : Invitation.Problem;
}

public sealed record PendingInvitation(Guid Id, OrganisationRole Role, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// Invitations by link. The secret is 32 random bytes, base64url, shown once; only its SHA-256 is stored,
/// so the database alone cannot admit anyone. A link admits one person, once, before it expires.
/// </summary>
public sealed class InvitationService(IDbContextFactory<SustainDbContext> contexts, TimeProvider clock)
{
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(7);
    public static readonly TimeSpan MaxValidity = TimeSpan.FromDays(30);

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Creates an invitation; the secret is returned here and never again.</summary>
    public async Task<(string? Secret, string? Error)> CreateAsync(OrgAccess actor, OrganisationRole role, TimeSpan validFor, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!Enum.IsDefined(role))
            return (null, "Choose Owner, Admin or Member.");
        if (validFor < TimeSpan.FromHours(1) || validFor > MaxValidity)
            return (null, "An invitation is valid for 1 hour to 30 days.");

        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var actorRole = await MembershipService.RoleOfAsync(db, actor, cancellation);
        if (actorRole is not (OrganisationRole.Owner or OrganisationRole.Admin))
            return (null, "Only owners and admins can invite people.");
        if (role == OrganisationRole.Owner && actorRole != OrganisationRole.Owner)
            return (null, "Only an owner can invite another owner.");

        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        db.Invitations.Add(new Invitation
        {
            OrganisationId = actor.Organisation.Id,
            TokenHash = Hash(secret),
            Role = role,
            CreatedByUserId = actor.UserId!,
            CreatedAt = now,
            ExpiresAt = now + validFor,
        });
        await db.SaveChangesAsync(cancellation);
        return (secret, null);
    }

    /// <summary>Invitations not yet used, revoked or expired, newest first.</summary>
    public async Task<List<PendingInvitation>> ListPendingAsync(Guid organisationId, CancellationToken cancellation = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var now = clock.GetUtcNow();
        var pending = await db.Invitations.AsNoTracking()
            .Where(i => i.OrganisationId == organisationId && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .OrderByDescending(i => i.CreatedAt)
            .GroupJoin(db.Users, i => i.CreatedByUserId, u => u.Id, (i, users) => new { i, users })
            .SelectMany(x => x.users.DefaultIfEmpty(), (x, u) => new { x.i.Id, x.i.Role, Name = u == null ? null : u.DisplayName ?? u.Email, x.i.CreatedAt, x.i.ExpiresAt })
            .ToListAsync(cancellation);
        return pending.Select(p => new PendingInvitation(p.Id, p.Role, p.Name ?? "a former member", p.CreatedAt, p.ExpiresAt)).ToList();
    }

    /// <summary>Withdraws an invitation; returns why it was refused, or null when done.</summary>
    public async Task<string?> RevokeAsync(OrgAccess actor, Guid invitationId, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        var actorRole = await MembershipService.RoleOfAsync(db, actor, cancellation);
        if (actorRole is not (OrganisationRole.Owner or OrganisationRole.Admin))
            return "Only owners and admins can withdraw invitations.";
        var invitation = await db.Invitations.SingleOrDefaultAsync(i => i.Id == invitationId && i.OrganisationId == actor.Organisation.Id, cancellation);
        if (invitation is null)
            return "That invitation does not exist.";
        if (invitation.AcceptedAt is not null)
            return "That invitation has already been used.";
        invitation.RevokedAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(cancellation);
        return null;
    }

    public async Task<InvitationLookup> LookupAsync(string? secret, CancellationToken cancellation = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        return await LookupAsync(db, secret, cancellation);
    }

    /// <summary>
    /// Adds the user to the organisation with the invited role and marks the invitation used. Accepting
    /// again, or while already a member, succeeds without changing anything: an existing role is kept.
    /// </summary>
    public async Task<InvitationAcceptance> AcceptAsync(string? secret, string userId, CancellationToken cancellation = default)
    {
        secret = secret?.Trim();
        await using var db = await contexts.CreateDbContextAsync(cancellation);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
        var lookup = await LookupAsync(db, secret, cancellation);
        if (lookup.State == InvitationState.Accepted && lookup.AcceptedByUserId == userId)
            return new InvitationAcceptance(lookup, Succeeded: true, AlreadyMember: true);
        if (lookup.State != InvitationState.Pending)
            return new InvitationAcceptance(lookup, Succeeded: false, AlreadyMember: false);

        var hash = Hash(secret!);
        var now = clock.GetUtcNow();
        // Claiming the invitation with a conditional update means two people racing on one link cannot both get in.
        var claimed = await db.Invitations
            .Where(i => i.TokenHash == hash && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.AcceptedAt, now).SetProperty(i => i.AcceptedByUserId, userId), cancellation);
        if (claimed == 0)
            return new InvitationAcceptance(await LookupAsync(db, secret, cancellation), Succeeded: false, AlreadyMember: false);

        var invitation = await db.Invitations.AsNoTracking().SingleAsync(i => i.TokenHash == hash, cancellation);
        var alreadyMember = await db.Memberships.AnyAsync(m => m.OrganisationId == invitation.OrganisationId && m.UserId == userId, cancellation);
        if (!alreadyMember)
        {
            db.Memberships.Add(new Membership { OrganisationId = invitation.OrganisationId, UserId = userId, Role = invitation.Role, JoinedAt = now });
            await db.SaveChangesAsync(cancellation);
        }

        await transaction.CommitAsync(cancellation);
        return new InvitationAcceptance(lookup with { State = InvitationState.Accepted, AcceptedByUserId = userId }, Succeeded: true, alreadyMember);
    }

    private async Task<InvitationLookup> LookupAsync(SustainDbContext db, string? secret, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(secret) || secret.Length > 100)
            return InvitationLookup.Unknown;
        var hash = Hash(secret.Trim());
        var found = await db.Invitations.AsNoTracking()
            .Where(i => i.TokenHash == hash)
            .Join(db.Organisations, i => i.OrganisationId, o => o.Id, (i, o) => new { i, o.Name, o.Slug })
            .SingleOrDefaultAsync(cancellation);
        if (found is null)
            return InvitationLookup.Unknown;
        var i = found.i;
        var state = i.AcceptedAt is not null ? InvitationState.Accepted
            : i.RevokedAt is not null ? InvitationState.Revoked
            : i.ExpiresAt <= clock.GetUtcNow() ? InvitationState.Expired
            : InvitationState.Pending;
        return new InvitationLookup(state, found.Name, found.Slug, i.Role, i.ExpiresAt, i.AcceptedByUserId);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
