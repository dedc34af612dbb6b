package dev.hoist.testkit.internal;

import java.util.regex.Pattern;

/** The distribution spec's grammar for repository names and tags. */
public final class Names {

  private static final String COMPONENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
  private static final Pattern NAME = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

  private Names() {}

  public static boolean validName(String name) {
    return name != null && name.length() <= 255 && NAME.matcher(name).matches();
  }

  public static boolean validTag(String tag) {
    return tag != null && TAG.matcher(tag).matches();
  }
}
