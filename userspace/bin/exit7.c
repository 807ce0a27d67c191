// bin/exit7: exits with status 7, so callers can check that exit codes travel
// (userboot.shutdown prints it; the loader exits with it).
#include <stdio.h>

int main(int argc, char** argv, char** envp) {
  printf("exit7: exiting with status 7\n");
  return 7;
}
