package io.gim.examples.business;

/** The repositories on an H2 file database. */
class H2RepositoriesIT extends RepositoriesContract {
  @Override
  TestDatabase database() {
    return TestDatabase.h2();
  }
}
