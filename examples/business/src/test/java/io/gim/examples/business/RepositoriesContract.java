package io.gim.examples.business;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.gim.spi.GimException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The business repositories on a real database; each subclass names one. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RepositoriesContract {
  private TestDatabase database;
  private HikariDataSource pool;
  private BusinessDb db;
  private UserRepository users;
  private FriendRepository friends;
  private TokenRepository tokens;

  abstract TestDatabase database();

  @BeforeAll
  void open() {
    database = database();
    pool = database.pool();
    BusinessDb.open(pool, 1, 10).close(); // a second open finds the tables and changes nothing
    db = BusinessDb.open(pool, 2, 100);
    users = new UserRepository(db, Clock.systemUTC());
    friends = new FriendRepository(db, Clock.systemUTC());
    tokens = new TokenRepository(db);
  }

  @AfterAll
  void close() {
    if (db != null) {
      db.close();
    }
    if (pool != null) {
      pool.close();
    }
    if (database != null) {
      database.close();
    }
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  private static String phone() {
    return "+86" + ThreadLocalRandom.current().nextLong(10_000_000_000L, 99_999_999_999L);
  }

  private long newUser() {
    return join(users.signUp(phone())).user().id();
  }

  @Test
  void signUpCreatesAUserOnceAndFindsItByPhoneAfterwards() {
    String phone = phone();
    UserRepository.SignUp first = join(users.signUp(phone));
    UserRepository.SignUp second = join(users.signUp(phone));

    assertThat(first.created()).isTrue();
    assertThat(second.created()).isFalse();
    assertThat(second.user().id()).isEqualTo(first.user().id());
    assertThat(join(users.get(first.user().id()))).contains(first.user());
  }

  @Test
  void concurrentFirstSignUpsOfOneNumberCreateOneUser() {
    String phone = phone();
    List<CompletableFuture<UserRepository.SignUp>> all =
        IntStream.range(0, 8).mapToObj(i -> users.signUp(phone).toCompletableFuture()).toList();

    List<UserRepository.SignUp> results = all.stream().map(CompletableFuture::join).toList();

    assertThat(results.stream().map(r -> r.user().id()).distinct()).hasSize(1);
    assertThat(results.stream().filter(UserRepository.SignUp::created)).hasSize(1);
  }

  @Test
  void updateReplacesTheProfileAndGetAllSkipsUnknownIds() {
    long id = newUser();
    assertThat(join(users.update(id, new UserRecord.Profile("Ann é", 2, "http://a/p.png", "{}"))))
        .isTrue();

    UserRecord ann = join(users.getAll(List.of(id, Long.MAX_VALUE))).get(id);

    assertThat(ann.nickname()).isEqualTo("Ann é");
    assertThat(ann.sex()).isEqualTo(2);
    assertThat(ann.avatarUrl()).isEqualTo("http://a/p.png");
    assertThat(join(users.getAll(List.of(id, Long.MAX_VALUE)))).containsOnlyKeys(id);
    assertThat(join(users.update(Long.MAX_VALUE, new UserRecord.Profile("x", 0, "", ""))))
        .isFalse();
  }

  @Test
  void searchMatchesAnExactPhoneOrANicknamePrefixAndTakesWildcardsLiterally() {
    String tag = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    String phone = phone();
    long byPhone = join(users.signUp(phone)).user().id();
    long prefixed = newUser();
    long literal = newUser();
    join(users.update(prefixed, new UserRecord.Profile("s" + tag + "-bob", 0, "", "")));
    join(users.update(literal, new UserRecord.Profile("s" + tag + "%_x", 0, "", "")));

    assertThat(join(users.search(phone, 20))).extracting(UserRecord::id).containsExactly(byPhone);
    assertThat(join(users.search("s" + tag, 20)))
        .extracting(UserRecord::id)
        .containsExactly(prefixed, literal);
    assertThat(join(users.search("s" + tag + "%", 20)))
        .extracting(UserRecord::id)
        .containsExactly(literal);
    assertThat(join(users.search("s" + tag, 1))).hasSize(1);
  }

  @Test
  void aTokenMatchesOnlyItsOwnDeviceAndANewOneReplacesIt() {
    long user = newUser();
    join(tokens.save(user, 1, "first", 1_000));
    join(tokens.save(user, 2, "second", 2_000));

    assertThat(join(tokens.expiryIfMatches(user, 1, "first"))).isEqualTo(1_000);
    assertThat(join(tokens.expiryIfMatches(user, 1, "second"))).isZero();
    assertThat(join(tokens.expiryIfMatches(user + 1, 1, "first"))).isZero();

    join(tokens.save(user, 1, "third", 3_000));
    assertThat(join(tokens.expiryIfMatches(user, 1, "first"))).isZero();
    assertThat(join(tokens.expiryIfMatches(user, 1, "third"))).isEqualTo(3_000);
  }

  @Test
  void applyingTwiceIsANoOpAndAgreeingMakesBothSidesFriends() {
    long ann = newUser();
    long bob = newUser();

    assertThat(join(friends.apply(ann, bob, "bobby"))).isTrue();
    assertThat(join(friends.apply(ann, bob, "bobby"))).isFalse();
    assertThat(join(friends.areFriends(ann, bob))).isFalse();
    assertThat(join(friends.friends(ann))).isEmpty();

    assertThat(join(friends.agree(bob, ann, "annie"))).isTrue();
    assertThat(join(friends.agree(bob, ann, "annie"))).isFalse();

    assertThat(join(friends.areFriends(ann, bob))).isTrue();
    assertThat(join(friends.areFriends(bob, ann))).isTrue();
    assertThat(join(friends.friends(ann)))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.user().id()).isEqualTo(bob);
              assertThat(f.remarks()).isEqualTo("bobby");
            });
    assertThat(join(friends.friends(bob))).extracting(f -> f.remarks()).containsExactly("annie");
  }

  @Test
  void agreeingWhenBothSidesAppliedUpdatesTheAgreeingSidesApplication() {
    long ann = newUser();
    long bob = newUser();
    join(friends.apply(ann, bob, ""));
    join(friends.apply(bob, ann, ""));

    join(friends.agree(bob, ann, "annie"));

    assertThat(join(friends.friends(bob))).extracting(f -> f.remarks()).containsExactly("annie");
    assertThat(join(friends.friends(ann))).hasSize(1);
  }

  @Test
  void friendRulesFailWithGimCodesAndChangeNothing() {
    long ann = newUser();
    long bob = newUser();

    assertThatThrownBy(() -> join(friends.agree(bob, ann, "")))
        .hasCauseInstanceOf(GimException.class)
        .satisfies(e -> assertThat(GimException.from(e).code()).isEqualTo(10210));
    assertThatThrownBy(() -> join(friends.set(ann, bob, "r", "e")))
        .satisfies(e -> assertThat(GimException.from(e).code()).isEqualTo(10210));
    assertThat(join(friends.areFriends(bob, ann))).isFalse();

    join(friends.apply(ann, bob, ""));
    join(friends.agree(bob, ann, ""));
    assertThatThrownBy(() -> join(friends.apply(ann, bob, "")))
        .satisfies(e -> assertThat(GimException.from(e).code()).isEqualTo(10211));

    join(friends.set(ann, bob, "best", "{\"pinned\":true}"));
    assertThat(join(friends.friends(ann)))
        .singleElement()
        .satisfies(f -> assertThat(f.extra()).isEqualTo("{\"pinned\":true}"));
  }
}
