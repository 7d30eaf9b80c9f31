#ifndef IMBAL_VERSION_H
#define IMBAL_VERSION_H
#define IMBAL_VERSION "0.1.0"
#endif
