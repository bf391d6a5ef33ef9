package io.gim.examples.business;

/**
 * A user of the business server. Immutable.
 *
 * @param sex 0 unknown, 1 male, 2 female (GIM's numbers; not checked)
 * @param createdAt Unix milliseconds
 * @param updatedAt Unix milliseconds
 */
record UserRecord(
    long id,
    String phoneNumber,
    String nickname,
    int sex,
    String avatarUrl,
    String extra,
    long createdAt,
    long updatedAt) {

  /** The profile fields a user may change. */
  record Profile(String nickname, int sex, String avatarUrl, String extra) {}
}
