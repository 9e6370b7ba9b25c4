package jp.senbetsu.store.audit;

/**
 * Who did something, as the audit log records it: the OS user (the person behind {@code sudo} when the command
 * runs as the service user), the role they acted in, and which credential they used (its kind and location,
 * never the secret).
 */
public record Actor(String user, String processUser, String role, String credential)
{
    /** The person running this process, in a role, with a credential description (may be null). */
    public static Actor current(final String role, final String credential)
    {
        final String processUser = System.getProperty("user.name");
        final String sudoUser = System.getenv("SUDO_USER");
        final String user = sudoUser != null && !sudoUser.isBlank() ? sudoUser : processUser;
        return new Actor(user, processUser, role, credential);
    }

    /** The appliance itself (the store writer), acting as operator. */
    public static Actor appliance(final String credential)
    {
        return current("operator", credential);
    }

    public Actor withCredential(final String credential)
    {
        return new Actor(user, processUser, role, credential);
    }
}
